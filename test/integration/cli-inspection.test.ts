/**
 * `plan status`, `graph <planId>`, `cancel` and `watch` as a user runs them, including the cases where Temporal
 * alone cannot answer: a plan whose history was deleted (the PostgreSQL mirror answers) and a plan that ended while
 * no worker runs (its recorded result answers). The last test stops this file's worker, so it must stay last.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { PlanSnapshot } from '../../src/plan';
import { approveSignal, stateQuery } from '../../src/workflows/definitions';
import { cliOn, STACK_TRACE, type CliResult } from '../support/cli';
import { eventually } from '../support/eventually';
import { waitForState } from '../support/wait-for-state';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';

jest.setTimeout(60_000);

let env: TestWorker;
let plan: ReturnType<typeof cliOn>;
let stopped = false;

beforeAll(async () => {
  env = await startTestWorker();
  plan = cliOn(env.taskQueue);
});

/**
 * A completed plan whose workflow was then deleted from Temporal, so that only the mirror knows it. The dev server
 * takes 20-35 s to carry out a deletion, so this starts with the file and the test that needs it comes late.
 */
let forgotten: Promise<{ planId: string; result: PlanSnapshot }>;
beforeAll(() => {
  forgotten = (async () => {
    const handle = await env.start({
      description: 'mirrored',
      steps: [
        { id: 'one', toolName: 'echo', parameters: { n: 1 } },
        { id: 'two', toolName: 'noop', dependsOn: ['one'] },
      ],
    });
    const result = await handle.result();
    await env.client.workflowService.deleteWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: handle.workflowId },
    });
    await eventually(
      () =>
        handle.describe().then(
          () => false,
          (err: unknown) => err instanceof WorkflowNotFoundError,
        ),
      'Temporal to forget the plan',
      { timeoutMs: 55_000, everyMs: 250 },
    );
    return { planId: handle.workflowId, result };
  })();
  forgotten.catch(() => undefined); // reported by the test that awaits it
});

afterAll(async () => {
  if (!stopped) await env?.stop();
});

const TIME = '\\d\\d:\\d\\d:\\d\\d';
const HEADER = /^STEP\s+TOOL\s+STATUS\s+ATTEMPTS\s+DURATION\s+ERROR$/m;

function expectRefused(result: CliResult, code: number, message: string) {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
    code,
    stdout: '',
    stderr: `${message}\n`,
  });
  expect(result.stderr).not.toMatch(STACK_TRACE);
}

/** A plan that ended, for the tests that read an ended plan (the last one with no worker running). */
let ended: { planId: string; state: PlanSnapshot } | null = null;

test('status while a plan runs and after it ended: a step table with attempts, durations and errors; --json is the workflow result', async () => {
  const handle = await env.start({
    description: 'status from the CLI',
    steps: [
      { id: 'first', toolName: 'echo', parameters: { n: 1 } },
      {
        id: 'flaky',
        toolName: 'fail',
        dependsOn: ['first'],
        parameters: { failTimes: 1, message: 'hiccup' },
        maxRetries: 1,
        retryDelayMs: 100,
      },
      // Holds the plan in `executing` for as long as the test needs, whatever the machine's load.
      { id: 'nap', toolName: 'sleep', dependsOn: ['flaky'], parameters: { ms: 200 }, requiresApproval: true },
      { id: 'boom', toolName: 'fail', dependsOn: ['nap'], parameters: { message: 'kaput' } },
    ],
  });
  const planId = handle.workflowId;
  await waitForState(handle, (s) => s.steps[2]!.status === 'waiting_approval');
  const [running, runningJson] = await Promise.all([plan(['status', planId]), plan(['status', planId, '--json'])]);
  expect({ code: running.code, stderr: running.stderr }).toEqual({ code: 0, stderr: '' });
  expect(running.stdout).toMatch(new RegExp(`^Plan ${planId}: executing — status from the CLI\\nStarted \\S+\\n`));
  expect(running.stdout).toMatch(HEADER);
  expect(running.stdout).toMatch(/^first\s+echo\s+completed\s+1\s+(\d+ms|\d+\.\ds|\d+m\d\ds)$/m);
  expect(running.stdout).toMatch(/^flaky\s+fail\s+completed\s+2\s+(\d+ms|\d+\.\ds|\d+m\d\ds)$/m);
  expect(running.stdout).toMatch(/^nap\s+sleep\s+waiting_approval\s+0$/m);
  expect(running.stdout).toMatch(/^boom\s+fail\s+pending\s+0$/m);
  expect(running.stdout).toMatch(/\n4 steps: 2 completed, 1 waiting for approval, 1 pending\n$/);
  expect(runningJson.code).toBe(0);
  expect(JSON.parse(runningJson.stdout)).toEqual(await handle.query(stateQuery));
  expect(JSON.parse(runningJson.stdout)).toMatchObject({
    planId,
    status: 'executing',
    summary: { total: 4, completed: 2, waitingApproval: 1, pending: 1 },
  });

  await handle.signal(approveSignal, { by: 'ops', step: 'nap' });

  const result = await handle.result();
  const [after, afterJson, dot] = await Promise.all([
    plan(['status', planId]),
    plan(['status', planId, '--json']),
    plan(['graph', planId, '--format', 'dot']),
  ]);
  expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: '' });
  expect(after.stdout).toMatch(
    new RegExp(
      `^Plan ${planId}: failed — status from the CLI\\nReason: step "boom" failed: kaput\\nStarted \\S+, ended \\S+ \\(\\d`,
    ),
  );
  expect(after.stdout).toMatch(HEADER);
  expect(after.stdout).toMatch(/^Approved step nap by ops at \S+$/m);
  expect(after.stdout).toMatch(/^nap\s+sleep\s+completed\s+1\s+(\d+ms|\d+\.\ds)$/m);
  expect(after.stdout).toMatch(/^boom\s+fail\s+failed\s+1\s+(\d+ms|\d+\.\ds|\d+m\d\ds)\s+kaput$/m);
  expect(after.stdout).toMatch(/\n4 steps: 3 completed, 1 failed\n$/);

  // The same object the workflow returns: what a script reading `plan status --json` can rely on.
  expect(afterJson.code).toBe(0);
  expect(JSON.parse(afterJson.stdout)).toEqual(result);
  ended = { planId, state: result };

  // Graphviz, coloured by each step's status.
  expect(dot.code).toBe(0);
  const lines = dot.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('digraph plan {');
  expect(lines).toContain(
    '  "first" [label=<<b>first</b><br/><font point-size="10" color="#5b6475">echo</font><br/><font point-size="10" color="#5b6475">completed</font>>, fillcolor="#b7ebb7"];',
  );
  expect(lines).toContain(
    '  "boom" [label=<<b>boom</b><br/><font point-size="10" color="#5b6475">fail</font><br/><font point-size="10" color="#5b6475">failed</font>>, fillcolor="#f5b5b5"];',
  );
  expect(lines.filter((l) => l.includes('->'))).toEqual([
    '  "first" -> "flaky";',
    '  "flaky" -> "nap";',
    '  "nap" -> "boom";',
  ]);
  expect(lines.at(-1)).toBe('}');
});

test('cancel --by --reason stops a running plan: it ends cancelled with who and why, and watch follows it there (exit 1)', async () => {
  const handle = await env.start({
    steps: [
      { id: 'prep', toolName: 'echo', parameters: { ok: 1 }, compensate: { toolName: 'noop' } },
      { id: 'long', toolName: 'sleep', dependsOn: ['prep'], parameters: { ms: 60_000 } },
    ],
  });
  const planId = handle.workflowId;
  await waitForState(handle, (s) => s.steps[1]!.status === 'running');
  const watching = plan(['watch', planId]);
  const unknown = uniqueId('cli-no-such-plan');
  const [cancelled, missing] = await Promise.all([
    plan(['cancel', planId, '--by', 'ops', '--reason', 'wrong environment']),
    plan(['cancel', unknown]),
  ]);
  expect(cancelled).toEqual({
    code: 0,
    stdout: `Cancelling plan ${planId}: running steps stop, completed steps are compensated. Follow it: npm run -s plan -- watch ${planId}\n`,
    stderr: '',
  });
  expectRefused(missing, 2, `no plan "${unknown}" in namespace default`);

  const state = await handle.result();
  expect(state).toMatchObject({
    status: 'cancelled',
    reason: 'cancelled by ops: wrong environment',
    steps: [{ id: 'prep', status: 'compensated' }, { id: 'long' }],
  });

  const watched = await watching;
  expect({ code: watched.code, stderr: watched.stderr }).toEqual({ code: 1, stderr: '' });
  const lines = watched.stdout.trimEnd().split('\n');
  expect(lines).toContainEqual(expect.stringMatching(/ step prep compensated$/));
  expect(lines.at(-1)).toMatch(
    new RegExp(`^${TIME} plan ${planId} cancelled \\(cancelled by ops: wrong environment\\)  \\[#+\\] 2/2$`),
  );
});

test('cancelling a plan that has ended is refused (exit 1), naming how it ended', async () => {
  const handle = await env.start({ steps: [{ id: 'a', toolName: 'fail', parameters: { message: 'no' } }] });
  const planId = handle.workflowId;
  expect((await handle.result()).status).toBe('failed');
  const result = await plan(['cancel', planId, '--by', 'ops']);
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
  expect(result.stderr).toContain(`plan "${planId}" has already ended`);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  // The plan failed. Temporal records every end the plan defines as a *completed* workflow run (README, "Outcome"),
  // but the user asked about the plan: telling them it "ended (completed)" says the opposite of what happened.
  expect(result.stderr).toBe(`plan "${planId}" has already ended (failed)\n`);
});

test('status of a plan whose Temporal history is gone comes from the PostgreSQL mirror, and says so', async () => {
  const { planId, result } = await forgotten;
  const [status, json] = await Promise.all([plan(['status', planId]), plan(['status', planId, '--json'])]);
  expect({ code: status.code, stderr: status.stderr }).toEqual({ code: 0, stderr: '' });
  expect(status.stdout).toMatch(new RegExp(`^Plan ${planId}: completed — mirrored\\n`));
  expect(status.stdout).toMatch(HEADER);
  expect(status.stdout).toMatch(/^one\s+echo\s+completed\s+1\s+(\d+ms|\d+\.\ds|\d+m\d\ds)$/m);
  expect(status.stdout).toMatch(/^two\s+noop\s+completed\s+1\s+(\d+ms|\d+\.\ds|\d+m\d\ds)$/m);
  expect(status.stdout.trimEnd().split('\n').at(-1)).toBe(
    '(from the PostgreSQL mirror: Temporal could not answer for this plan)',
  );
  // The mirror holds exactly what the workflow returned.
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toEqual(result);
});

// Stops the worker: keep last.
test('with no worker running, status of an ended plan still answers from its recorded result', async () => {
  expect(ended).not.toBeNull();
  await env.stop();
  stopped = true;
  const [status, json] = await Promise.all([
    plan(['status', ended!.planId]),
    plan(['status', ended!.planId, '--json']),
  ]);
  expect({ code: status.code, stderr: status.stderr }).toEqual({ code: 0, stderr: '' });
  expect(status.stdout).toMatch(new RegExp(`^Plan ${ended!.planId}: failed — status from the CLI\\n`));
  expect(status.stdout).not.toContain('PostgreSQL mirror');
  expect(JSON.parse(json.stdout)).toEqual(ended!.state);
});
