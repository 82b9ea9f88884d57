/**
 * `plan start`, `approve`, `reject`, `watch` and `list` as a user runs them: real child processes against the
 * suite's dev server, with this file's worker executing the plans they start.
 */
import { stateQuery } from '../../src/workflows/definitions';
import type { PlanSnapshot } from '../../src/plan';
import { cliOn, cliUntil, planFiles, STACK_TRACE, type CliResult } from '../support/cli';
import { testStack } from '../support/test-stack';
import { waitForState } from '../support/wait-for-state';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';

jest.setTimeout(60_000);

let env: TestWorker;
let plan: ReturnType<typeof cliOn>;
const file = planFiles();

beforeAll(async () => {
  env = await startTestWorker();
  plan = cliOn(env.taskQueue);
});
afterAll(() => env?.stop());

const TIME = '\\d\\d:\\d\\d:\\d\\d';

function expectRefused(result: CliResult, code: number, message: string) {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
    code,
    stdout: '',
    stderr: `${message}\n`,
  });
  expect(result.stderr).not.toMatch(STACK_TRACE);
}

/** Plan ids in `plan list --json`. */
const listed = (result: CliResult): string[] =>
  result.code === 0 ? (JSON.parse(result.stdout) as Array<{ planId: string }>).map((p) => p.planId) : [];

test('start → list → approve (quorum of 2) → watch: the whole approval flow from the shell', async () => {
  const planId = uniqueId('cli-release');
  const path = file(`${planId}.json`, {
    description: 'Release from the CLI',
    options: { requireApproval: true, requiredApprovals: 2 },
    steps: [
      { id: 'greet', toolName: 'echo', parameters: { greeting: 'hello' } },
      { id: 'nap', toolName: 'sleep', dependsOn: ['greet'], parameters: { ms: 300 } },
    ],
  });

  const started = await plan(['start', path, '--id', planId]);
  const uiPort = Number(testStack().temporalAddress.split(':')[1]) + 1000;
  const { runId } = await env.client.workflow.getHandle(planId).describe();
  expect(started).toEqual({
    code: 0,
    stdout: [
      `Started plan ${planId}`,
      // The dev server's UI is on its frontend port + 1000: the link follows the address.
      `  Temporal Web: http://localhost:${uiPort}/namespaces/default/workflows/${planId}/${runId}/history`,
      `  Waiting for approval: npm run -s plan -- approve ${planId} --by <your-name>`,
      `  Follow it: npm run -s plan -- watch ${planId}`,
      '',
    ].join('\n'),
    stderr: '',
  });

  // The same id while it runs is refused; the first approval is recorded but is not enough; the same approver twice is
  // refused.
  const [duplicate, pending, firstVote] = await Promise.all([
    plan(['start', path, '--id', planId]),
    cliUntil(
      () => plan(['list', '--status', 'pending_approval', '--json']),
      (r) => listed(r).includes(planId),
    ),
    plan(['approve', planId, '--by', 'alice', '--comment', 'diff checked']),
  ]);
  expectRefused(duplicate, 2, `a plan with id "${planId}" is already running; choose another with --id`);
  expect(firstVote).toEqual({
    code: 0,
    stdout: `approval recorded for plan ${planId}: 1 of 2 approvals\n`,
    stderr: '',
  });
  expect(listed(pending)).toContain(planId);
  expect((JSON.parse(pending.stdout) as unknown[]).find((p) => (p as { planId: string }).planId === planId)).toEqual({
    planId,
    runId,
    status: 'pending_approval',
    execution: 'RUNNING',
    startTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    closeTime: null,
  });

  const [again, status] = await Promise.all([plan(['approve', planId, '--by', 'alice']), plan(['status', planId])]);
  expectRefused(again, 1, 'refused: "alice" already approved the plan; 2 distinct approvals are needed');
  expect(status.code).toBe(0);
  expect(status.stdout).toContain(`Plan ${planId}: pending_approval — Release from the CLI\n`);
  expect(status.stdout).toMatch(/^Approved by alice at \S+: diff checked$/m);
  expect(status.stdout).toMatch(/^STEP\s+TOOL\s+STATUS\s+ATTEMPTS\s+DURATION\s+ERROR$/m);
  expect(status.stdout).toMatch(/^greet\s+echo\s+pending\s+0$/m);

  // Watch follows it while the second approver lets it run.
  const watching = plan(['watch', planId]);
  const secondVote = await plan(['approve', planId, '--by', 'bob']);
  expect(secondVote).toEqual({ code: 0, stdout: `plan ${planId} approved — it runs now\n`, stderr: '' });
  const watched = await watching;
  expect({ code: watched.code, stderr: watched.stderr }).toEqual({ code: 0, stderr: '' });
  const lines = watched.stdout.trimEnd().split('\n');
  // Not a terminal: one plain line per change, no cursor movement.
  expect(watched.stdout).not.toContain('\x1b[');
  for (const line of lines) expect(line).toMatch(new RegExp(`^${TIME} (step (greet|nap) \\w+|plan ${planId} \\w+.*)$`));
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/ step greet completed$/),
      expect.stringMatching(/ step nap completed$/),
    ]),
  );
  expect(lines.at(-1)).toMatch(new RegExp(`^${TIME} plan ${planId} completed  \\[#{20}\\] 2/2$`));

  // Once it has ended, it is no longer listed as waiting for approval (visibility catches up).
  const after = await cliUntil(
    () => plan(['list', '--status', 'pending_approval', '--json']),
    (r) => r.code === 0 && !listed(r).includes(planId),
    { everyMs: 1000 },
  );
  expect(after.code).toBe(0);
  expect(listed(after)).not.toContain(planId);
});

test('start --wait follows the plan to its end: exit 0 when completed, 1 when failed; with --json only the final state', async () => {
  const ok = file('ok.json', { steps: [{ id: 'hello', toolName: 'echo', parameters: { hi: 1 } }] });
  const failing = file('failing.json', {
    description: 'fails on purpose',
    steps: [
      { id: 'first', toolName: 'echo', parameters: { n: 1 } },
      { id: 'boom', toolName: 'fail', dependsOn: ['first'], parameters: { message: 'kaput' } },
    ],
  });
  const failedId = uniqueId('cli-wait-fail');
  const [completed, failed] = await Promise.all([
    plan(['start', ok, '--wait']),
    plan(['start', failing, '--wait', '--json', '--id', failedId]),
  ]);

  expect({ code: completed.code, stderr: completed.stderr }).toEqual({ code: 0, stderr: '' });
  const completedId = /^Started plan (\S+)$/m.exec(completed.stdout)?.[1];
  expect(completedId).toMatch(/^plan-[0-9a-f-]{36}$/);
  expect(completed.stdout).not.toContain('Waiting for approval');
  expect(completed.stdout).not.toContain('Follow it');
  expect(completed.stdout).toMatch(new RegExp(`^${TIME} plan ${completedId} completed `, 'm'));
  expect(completed.stdout).toMatch(
    new RegExp(
      `\\nPlan ${completedId}: completed\\n[^]*^hello\\s+echo\\s+completed\\s+1\\s+(\\d+ms|\\d+\\.\\ds)$[^]*\\n1 step: 1 completed\\n$`,
      'm',
    ),
  );

  expect({ code: failed.code, stderr: failed.stderr }).toEqual({ code: 1, stderr: '' });
  // stdout is the state object and nothing else, so it can be piped into jq.
  const state = JSON.parse(failed.stdout) as PlanSnapshot;
  expect(state).toEqual(await env.client.workflow.getHandle(failedId).result());
  expect(state).toMatchObject({
    planId: failedId,
    status: 'failed',
    description: 'fails on purpose',
    reason: 'step "boom" failed: kaput',
    steps: [
      { id: 'first', status: 'completed', attempts: 1 },
      { id: 'boom', status: 'failed', error: 'kaput', errorType: 'FailToolError' },
    ],
    summary: { total: 2, completed: 1, failed: 1 },
  });
});

test('approve an unknown plan: exit 2', async () => {
  const unknown = uniqueId('cli-no-such-plan');
  expectRefused(await plan(['approve', unknown, '--by', 'carol']), 2, `no plan "${unknown}" in namespace default`);
  const json = await plan(['approve', unknown, '--by', 'carol', '--json']);
  expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 2, stderr: '' });
  expect(JSON.parse(json.stdout)).toEqual({
    ok: false,
    error: { type: 'not_found', message: `no plan "${unknown}" in namespace default`, exitCode: 2 },
  });
});

test('approve --step opens a gated step; approving the plan itself, which needs no approval, is refused (exit 1)', async () => {
  const handle = await env.start({
    options: { allowParallel: true },
    steps: [
      { id: 'prep', toolName: 'echo', parameters: { ok: 1 } },
      { id: 'deploy', toolName: 'echo', parameters: {}, dependsOn: ['prep'], requiresApproval: true },
    ],
  });
  await waitForState(handle, (s) => s.steps[1]!.status === 'waiting_approval');
  // Without --step the decision is about the plan, which needs none: refused, and the step still waits.
  expectRefused(
    await plan(['approve', handle.workflowId, '--by', 'ops']),
    1,
    `refused: plan "${handle.workflowId}" does not require approval`,
  );
  // With --json the refusal is JSON on stdout, for scripts and agents, with the same exit code.
  const refusedJson = await plan(['approve', handle.workflowId, '--by', 'ops', '--json']);
  expect({ code: refusedJson.code, stderr: refusedJson.stderr }).toEqual({ code: 1, stderr: '' });
  expect(JSON.parse(refusedJson.stdout)).toEqual({
    ok: false,
    error: {
      type: 'refused',
      message: `refused: plan "${handle.workflowId}" does not require approval`,
      exitCode: 1,
    },
  });
  const approved = await plan(['approve', handle.workflowId, '--by', 'ops', '--step', 'deploy', '--json']);
  expect(approved.code).toBe(0);
  expect(JSON.parse(approved.stdout)).toEqual({
    decision: 'approve',
    step: 'deploy',
    gate: 'approved',
    approvals: 1,
    requiredApprovals: 1,
  });
  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.approvals).toEqual([expect.objectContaining({ by: 'ops', step: 'deploy', decision: 'approve' })]);
});

test('reject --reason ends the plan rejected, and status --json says who and why', async () => {
  const handle = await env.start({
    options: { requireApproval: true },
    steps: [{ id: 'greet', toolName: 'echo', parameters: { hi: 1 } }],
  });
  await waitForState(handle, (s) => s.status === 'pending_approval');
  const rejected = await plan(['reject', handle.workflowId, '--by', 'bob', '--reason', 'change freeze']);
  expect(rejected).toEqual({ code: 0, stdout: `plan ${handle.workflowId} rejected\n`, stderr: '' });
  await handle.result();
  const status = await plan(['status', handle.workflowId, '--json']);
  expect(status.code).toBe(0);
  const state = JSON.parse(status.stdout) as PlanSnapshot;
  expect(state).toMatchObject({
    planId: handle.workflowId,
    status: 'rejected',
    reason: 'plan rejected by bob: change freeze',
    approvals: [{ by: 'bob', decision: 'reject', step: null }],
    steps: [{ id: 'greet', status: 'skipped' }],
  });
  expect(state).toEqual(await handle.query(stateQuery));
});
