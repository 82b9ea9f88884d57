import { checkPlan, normalizeDecision, PlanState, type Plan } from '../../src/plan';

const T0 = '2026-11-22T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function plan(input: Record<string, unknown>): Plan {
  const { plan, problems } = checkPlan(input);
  if (!plan) throw new Error(problems.map((p) => p.message).join('; '));
  return plan;
}

function drain(state: PlanState): string[] {
  const ids: string[] = [];
  for (let spec = state.takeReady(); spec; spec = state.takeReady()) ids.push(spec.id);
  return ids;
}

const approve = (by: string, step: string | null = null) =>
  normalizeDecision('approve', { by, step }) as Exclude<ReturnType<typeof normalizeDecision>, string>;

test('steps become ready as their dependencies complete, in file order, without rescanning the plan', () => {
  const state = new PlanState(
    plan({
      steps: [
        { id: 'a', toolName: 'x' },
        { id: 'b', toolName: 'x', dependsOn: ['a'] },
        { id: 'c', toolName: 'x', dependsOn: ['a'] },
        { id: 'd', toolName: 'x', dependsOn: ['b', 'c'] },
      ],
    }),
    'p',
    T0,
  );
  state.beginExecution(T0);
  expect(drain(state)).toEqual(['a']);
  state.start('a', T0);
  state.complete('a', 1, 1, at(1));
  expect(drain(state)).toEqual(['b', 'c']);
  state.start('b', at(1));
  state.complete('b', 2, 1, at(2));
  expect(drain(state)).toEqual([]);
  state.start('c', at(1));
  state.complete('c', 3, 1, at(3));
  expect(drain(state)).toEqual(['d']);
});

test('every change bumps the sequence number, so the scheduler and the mirror notice it', () => {
  const state = new PlanState(plan({ steps: [{ id: 'a', toolName: 'x' }] }), 'p', T0);
  const seqs = [state.seq];
  state.beginExecution(T0);
  seqs.push(state.seq);
  state.start('a', T0);
  seqs.push(state.seq);
  state.complete('a', null, 1, at(1));
  seqs.push(state.seq);
  expect(new Set(seqs).size).toBe(4);
  expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
});

test('stop on error: nothing new starts after a failure, and what never started ends skipped with the reason', () => {
  const state = new PlanState(
    plan({
      steps: [
        { id: 'a', toolName: 'x' },
        { id: 'b', toolName: 'x' },
      ],
    }),
    'p',
    T0,
  );
  state.beginExecution(T0);
  state.takeReady();
  state.start('a', T0);
  state.fail('a', 'boom', 'E', 1, at(1));
  expect(state.takeReady()).toBeNull();
  expect(state.finished).toBe(true);
  expect(state.finish(at(2))).toBe('failed');
  expect(state.snapshot().steps[1]).toMatchObject({ status: 'skipped', error: 'not started: step "a" failed: boom' });
});

test('a quorum gate needs distinct approvers and refuses a second vote from the same one', () => {
  const state = new PlanState(
    plan({ options: { requireApproval: true, requiredApprovals: 2 }, steps: [{ id: 'a', toolName: 'x' }] }),
    'p',
    T0,
  );
  expect(state.status).toBe('pending_approval');
  expect(state.refusalOf(approve('alice'))).toBeNull();
  expect(state.decide(approve('alice'), at(1))).toMatchObject({ gate: 'waiting', approvals: 1 });
  expect(state.refusalOf(approve('alice'))).toMatch(/already approved/);
  expect(state.decide(approve('bob'), at(2))).toMatchObject({ gate: 'approved', approvals: 2 });
  expect(state.status).toBe('approved');
  expect(state.refusalOf(approve('carol'))).toBe('the plan is already approved');
});

test('an approval timeout decides each open gate once, as the plan says', () => {
  const state = new PlanState(
    plan({
      options: { requireApproval: true, approvalTimeoutMs: 1000, onApprovalTimeout: 'approve' },
      steps: [{ id: 'a', toolName: 'x' }],
    }),
    'p',
    T0,
  );
  expect(state.nextGateDeadline()).toBe(Date.parse(T0) + 1000);
  state.expireGates(at(999));
  expect(state.approvals).toEqual([]);
  state.expireGates(at(1000));
  state.expireGates(at(5000));
  expect(state.approvals).toEqual([
    { by: 'approval-timeout', at: at(1000), comment: 'no decision within 1000 ms', step: null, decision: 'approve' },
  ]);
  expect(state.nextGateDeadline()).toBeNull();
});

test('compensation layers put a step after everything that depends on it, and skip steps without a compensation', () => {
  const undo = { toolName: 'x' };
  const state = new PlanState(
    plan({
      steps: [
        { id: 'a', toolName: 'x', compensate: undo },
        { id: 'b', toolName: 'x', dependsOn: ['a'] },
        { id: 'c', toolName: 'x', dependsOn: ['b'], compensate: undo },
        { id: 'd', toolName: 'x', dependsOn: ['a'], compensate: undo },
      ],
    }),
    'p',
    T0,
  );
  state.beginExecution(T0);
  for (const id of ['a', 'b', 'c', 'd']) {
    state.start(id, T0);
    state.complete(id, null, 1, T0);
  }
  const layers = state.compensationLayers().map((layer) => layer.map((s) => s.id).sort());
  expect(layers.flat()).toEqual(expect.arrayContaining(['a', 'c', 'd']));
  expect(layers.at(-1)).toEqual(['a']);
  expect(layers.flat()).not.toContain('b');
});

test('a run that continues as new takes over exactly where the last one stopped: paused, gated, half done', () => {
  const input = {
    options: {
      allowParallel: true,
      continueOnError: false,
      onFailure: 'pause',
      requireApproval: true,
      requiredApprovals: 2,
    },
    steps: [
      { id: 'a', toolName: 'x' },
      { id: 'b', toolName: 'x', dependsOn: ['a'] },
      { id: 'gate', toolName: 'x', dependsOn: ['a'], requiresApproval: true },
      { id: 'c', toolName: 'x', dependsOn: ['b', 'gate'] },
      { id: 'd', toolName: 'x' },
    ],
  };
  const first = new PlanState(plan(input), 'p', T0);
  first.decide(approve('alice'), at(1));
  first.decide(approve('bob'), at(2));
  first.beginExecution(at(3));
  expect(drain(first)).toEqual(['a', 'd']);
  first.start('a', at(3));
  first.complete('a', { big: [1, 2] }, 1, at(4));
  first.start('d', at(3));
  first.fail('d', 'boom', 'Boom', 1, at(5));
  first.takeChanges();
  first.decide(approve('carol', 'gate'), at(6));
  // Carried as JSON, as it is through PostgreSQL.
  const progress = JSON.parse(JSON.stringify(first.progress()));

  const next = new PlanState(plan(input), 'p', at(100));
  next.restore(progress);
  expect(next.snapshot()).toEqual(first.snapshot());
  expect(next.seq).toBe(first.seq + 1);
  expect(next.batchSummary()).toEqual(first.batchSummary());
  expect(next.takeChanges().steps.map((s) => s.step.id)).toEqual(first.takeChanges().steps.map((s) => s.step.id));
  // Paused: nothing starts until an operator acts; then b (ready in the first run) is ready here too.
  expect(next.takeReady()).toBeNull();
  next.operate({ kind: 'skip', step: 'd', by: 'op' }, at(101));
  expect(drain(next)).toEqual(['b']);
  // The step gate keeps its first approval: one more distinct approver opens it.
  expect(next.refusalOf(approve('carol', 'gate'))).toMatch(/already approved/);
  expect(next.decide(approve('dave', 'gate'), at(102)).gate).toBe('approved');
  expect(drain(next)).toEqual(['gate']);
});
