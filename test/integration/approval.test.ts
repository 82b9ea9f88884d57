import { decide, DecisionRefusedError } from '../../src/api/plans';
import { approveSignal, rejectSignal } from '../../src/workflows/definitions';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { waitForState } from '../support/wait-for-state';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const twoSteps = [
  { id: 'first', toolName: 'echo', parameters: { n: 1 } },
  { id: 'second', toolName: 'noop', dependsOn: ['first'] },
];

describe('plan approval', () => {
  test('waits in pending_approval before any step, then runs when approved by signal with who and why recorded', async () => {
    const handle = await env.start({ options: { requireApproval: true }, steps: twoSteps });
    const waiting = await waitForState(handle, (s) => s.status === 'pending_approval');
    expect(waiting.steps.every((s) => s.status === 'pending')).toBe(true);
    await handle.signal(approveSignal, { by: 'alice', comment: 'ship it' });
    const state = await handle.result();
    expect(state.status).toBe('completed');
    expect(state.approvals).toEqual([
      { by: 'alice', at: expect.any(String), comment: 'ship it', step: null, decision: 'approve' },
    ]);
  });

  test('an approve signal with no input at all (the Web UI) approves as "anonymous"', async () => {
    const handle = await env.start({ options: { requireApproval: true }, steps: twoSteps });
    await handle.signal(approveSignal);
    const state = await handle.result();
    expect(state.status).toBe('completed');
    expect(state.approvals[0]).toMatchObject({ by: 'anonymous', decision: 'approve' });
  });

  test('a reject signal ends the plan rejected without running anything', async () => {
    const handle = await env.start({ options: { requireApproval: true }, steps: twoSteps });
    await handle.signal(rejectSignal, { by: 'bob', reason: 'not today' });
    const state = await handle.result();
    expect(state).toMatchObject({ status: 'rejected', reason: 'plan rejected by bob: not today' });
    expect(state.steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
  });

  test('the decide update answers; a second decision and a decision on a plan that needs none are refused', async () => {
    const handle = await env.start({ options: { requireApproval: true }, steps: twoSteps });
    const answer = await decide(env.client, handle.workflowId, { decision: 'approve', by: 'carol' });
    expect(answer).toEqual({ decision: 'approve', step: null, gate: 'approved', approvals: 1, requiredApprovals: 1 });
    await expect(decide(env.client, handle.workflowId, { decision: 'reject', by: 'dave' })).rejects.toThrow(
      new DecisionRefusedError('the plan is already approved'),
    );
    expect((await handle.result()).status).toBe('completed');

    const free = await env.start({ steps: [{ id: 'wait', toolName: 'sleep', parameters: { ms: 500 } }] });
    await expect(decide(env.client, free.workflowId, { decision: 'approve', by: 'carol' })).rejects.toThrow(
      `plan "${free.workflowId}" does not require approval`,
    );
    await free.result();
    await expect(decide(env.client, free.workflowId, { decision: 'approve', by: 'carol' })).rejects.toThrow(
      `plan "${free.workflowId}" has already ended`,
    );
  });

  test('approvers: someone not on the list is refused, by update with the reason and by signal without harm', async () => {
    const handle = await env.start({ options: { requireApproval: true, approvers: ['alice'] }, steps: twoSteps });
    await expect(decide(env.client, handle.workflowId, { decision: 'approve', by: 'mallory' })).rejects.toThrow(
      '"mallory" may not decide on the plan (approvers: alice)',
    );
    await handle.signal(rejectSignal, { by: 'mallory' });
    await handle.signal(approveSignal, { by: 'alice' });
    const state = await handle.result();
    expect(state.status).toBe('completed');
    expect(state.approvals.map((a) => a.by)).toEqual(['alice']);
  });

  test('requiredApprovals needs that many distinct approvers; the same approver twice does not count', async () => {
    const handle = await env.start({ options: { requireApproval: true, requiredApprovals: 2 }, steps: twoSteps });
    expect(await decide(env.client, handle.workflowId, { decision: 'approve', by: 'alice' })).toMatchObject({
      gate: 'waiting',
      approvals: 1,
      requiredApprovals: 2,
    });
    await expect(decide(env.client, handle.workflowId, { decision: 'approve', by: 'alice' })).rejects.toThrow(
      /already approved/,
    );
    expect((await waitForState(handle, (s) => s.approvals.length === 1)).status).toBe('pending_approval');
    await decide(env.client, handle.workflowId, { decision: 'approve', by: 'bob' });
    expect((await handle.result()).status).toBe('completed');
  });

  test('approvalTimeoutMs: with onApprovalTimeout reject (the default) the plan is rejected; with approve it runs', async () => {
    const rejected = await (
      await env.start({ options: { requireApproval: true, approvalTimeoutMs: 300 }, steps: twoSteps })
    ).result();
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'approval timeout' });
    expect(rejected.approvals[0]).toMatchObject({ by: 'approval-timeout', decision: 'reject' });

    const approved = await (
      await env.start({
        options: { requireApproval: true, approvalTimeoutMs: 300, onApprovalTimeout: 'approve' },
        steps: twoSteps,
      })
    ).result();
    expect(approved.status).toBe('completed');
    expect(approved.approvals[0]).toMatchObject({ by: 'approval-timeout', decision: 'approve' });
  });

  test('autoApprove skips the wait', async () => {
    const state = await (
      await env.start({ options: { requireApproval: true, autoApprove: true }, steps: twoSteps })
    ).result();
    expect(state.status).toBe('completed');
  });

  test('a decision sent in the same breath as the start is not lost, and only the first decision counts', async () => {
    const handle = await env.start({ options: { requireApproval: true }, steps: twoSteps });
    await Promise.all([handle.signal(approveSignal, { by: 'early' }), handle.signal(approveSignal, { by: 'early' })]);
    await handle.signal(rejectSignal, { by: 'late' });
    const state = await handle.result();
    expect(state.status).toBe('completed');
    expect(state.approvals).toHaveLength(1);
  });
});

describe('step gates', () => {
  const gated = (compensate = false) => [
    {
      id: 'prep',
      toolName: 'echo',
      parameters: { ok: 1 },
      ...(compensate ? { compensate: { toolName: 'noop' } } : {}),
    },
    { id: 'deploy', toolName: 'echo', parameters: {}, dependsOn: ['prep'], requiresApproval: true },
    { id: 'side', toolName: 'sleep', parameters: { ms: 50 } },
  ];

  test('a gated step waits alone while other branches run, then runs when its gate is approved', async () => {
    const handle = await env.start({ options: { allowParallel: true }, steps: gated() });
    const waiting = await waitForState(
      handle,
      (s) => s.steps[1]!.status === 'waiting_approval' && s.steps[2]!.status === 'completed',
    );
    expect(waiting.status).toBe('executing');
    expect(waiting.summary.waitingApproval).toBe(1);
    await expect(decide(env.client, handle.workflowId, { decision: 'approve', by: 'x' })).rejects.toThrow(
      /does not require approval/,
    );
    expect(
      await decide(env.client, handle.workflowId, { decision: 'approve', by: 'ops', step: 'deploy' }),
    ).toMatchObject({
      step: 'deploy',
      gate: 'approved',
    });
    const state = await handle.result();
    expect(state.status).toBe('completed');
    expect(state.approvals).toEqual([expect.objectContaining({ by: 'ops', step: 'deploy' })]);
  });

  test('rejecting a step gate after other steps ran compensates them and ends the plan rejected', async () => {
    const handle = await env.start({ steps: gated(true) });
    await waitForState(handle, (s) => s.steps[1]!.status === 'waiting_approval' && s.steps[2]!.status === 'completed');
    await handle.signal(rejectSignal, { by: 'ops', reason: 'freeze', step: 'deploy' });
    const state = await handle.result();
    expect(state).toMatchObject({ status: 'rejected', reason: 'step "deploy" rejected by ops: freeze' });
    // prep declared a compensation and ran it; side declared none and stays as it was.
    expect(state.steps.map((s) => s.status)).toEqual(['compensated', 'skipped', 'completed']);
  });

  test('a decision for a step that is not waiting yet is refused', async () => {
    const handle = await env.start({
      steps: [
        { id: 'slow', toolName: 'sleep', parameters: { ms: 1000 } },
        { id: 'gated', toolName: 'noop', dependsOn: ['slow'], requiresApproval: true },
      ],
    });
    await expect(
      decide(env.client, handle.workflowId, { decision: 'approve', by: 'x', step: 'gated' }),
    ).rejects.toThrow('step "gated" is not waiting for approval yet');
    await expect(decide(env.client, handle.workflowId, { decision: 'approve', by: 'x', step: 'nope' })).rejects.toThrow(
      /has no step "nope"/,
    );
    await waitForState(handle, (s) => s.steps[1]!.status === 'waiting_approval');
    await decide(env.client, handle.workflowId, { decision: 'approve', by: 'x', step: 'gated' });
    expect((await handle.result()).status).toBe('completed');
  });
});
