/**
 * What an operator runs, end to end: `plan worker` with codec keys and a secret in its environment, `plan start` of a
 * plan whose shell steps get the secret by reference and as a secret parameter, and print it back, one of them
 * failing (so the worker logs the failed attempt). Neither secret is anywhere a person could read it — the worker's
 * log, the CLI's output, `temporal workflow show`, the mirror tables — while the history, read through
 * `plan codec-server`, shows the plan's own words decoded (the reference, never the value it stands for).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { runNode, type RunningChild } from '../support/child';
import { workflowShow } from '../support/temporal-cli';
import { testStack } from '../support/test-stack';
import { createPool } from '../../src/store/pool';

jest.setTimeout(120_000);

const REFERENCED = `ref-${randomBytes(8).toString('hex')}`;
const LITERAL = `lit-${randomBytes(8).toString('hex')}`;
const taskQueue = `secrets-e2e-${randomUUID()}`;
const planId = `secrets-e2e-${randomUUID()}`;
const env = {
  PLAN_TASK_QUEUE: taskQueue,
  PLAN_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};
// Prints the secrets it is given, to stdout and stderr, then exits with the code it is given.
const ECHO =
  "console.log('token ' + process.env.TOKEN + ' ' + process.env.OTHER); console.error(process.env.TOKEN); " +
  'process.exitCode = Number(process.argv[1])';

let worker: RunningChild;
let codecServer: RunningChild;

beforeAll(async () => {
  const { temporalAddress, databaseUrl } = testStack();
  worker = runNode(['scripts/plan.js', 'worker'], {
    ...env,
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    PLAN_SECRET_TOKEN: REFERENCED,
    PLAN_SHELL_ALLOW: 'node -e *',
    PLAN_SHELL_ENV_ALLOW: 'TOKEN,OTHER',
  });
  codecServer = runNode(['scripts/plan.js', 'codec-server', '--port', '0'], env);
  await worker.waitFor(/worker polling task queue/);
  await codecServer.waitFor(/codec server on http/);
});

afterAll(async () => {
  for (const child of [worker, codecServer]) child?.child.kill('SIGINT');
  await Promise.all([worker?.exited, codecServer?.exited]);
});

function expectNoSecret(where: string, text: string, secrets = [REFERENCED, LITERAL]) {
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`${where} holds a secret in clear:\n${text.slice(0, 2000)}`);
  }
}

test('no secret in the logs, the CLI, the history or the mirror; the codec server shows the plan decoded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-e2e-'));
  const file = join(dir, 'plan.json');
  const step = (id: string, exitCode: number, extra: Record<string, unknown> = {}) => ({
    id,
    toolName: 'shell',
    maxRetries: 1,
    retryDelayMs: 100,
    parameters: {
      command: 'node',
      args: ['-e', ECHO, String(exitCode)],
      env: { TOKEN: '{{secrets.TOKEN}}' },
      secretEnv: { OTHER: LITERAL },
    },
    ...extra,
  });
  writeFileSync(
    file,
    JSON.stringify({ id: planId, steps: [step('echo', 0), step('fail', 3, { dependsOn: ['echo'] })] }),
  );

  const started = await cli(['start', file, '--task-queue', taskQueue, '--wait', '--json'], { env });
  expectNoSecret('plan start', started.stdout + started.stderr);
  const state = JSON.parse(started.stdout);
  expect(state.status).toBe('failed');
  expect(state.steps[0].result.stdout).toBe('token [redacted] [redacted]\n');
  expect(state.steps[1]).toMatchObject({ status: 'failed', errorType: 'ShellExitError', attempts: 2 });

  const status = await cli(['status', planId, '--json'], { env });
  expectNoSecret('plan status', status.stdout + status.stderr);

  // The worker logged the failed attempts (their messages scrubbed), and nothing else with a secret.
  await worker.waitFor(/node exited with code 3: \[redacted\]/);
  expectNoSecret("the worker's log", worker.output());

  const raw = await workflowShow(planId);
  expectNoSecret('temporal workflow show', raw);
  expect(raw).not.toContain('{{secrets.TOKEN}}'); // encrypted: not even the plan's own words

  const decoded = await workflowShow(planId, ['--codec-endpoint', codecUrl()]);
  // Decoded, the history is the plan as written: the reference, not its value — and the literal the plan itself
  // carried, which is why credentials belong in references.
  expectNoSecret('temporal workflow show --codec-endpoint', decoded, [REFERENCED]);
  expect(decoded).toContain('{{secrets.TOKEN}}');
  expect(decoded).toContain(LITERAL);
  expect(decoded).toContain('token [redacted] [redacted]');

  const pool = createPool(testStack().databaseUrl);
  try {
    const { rows } = await pool.query(
      `SELECT (SELECT json_agg(t) FROM task_plans t WHERE plan_id = $1) AS steps,
              (SELECT json_agg(p) FROM plan_progress p WHERE plan_id = $1) AS plan`,
      [planId],
    );
    expect(rows[0].steps).toHaveLength(2);
    expectNoSecret('the mirror', JSON.stringify(rows));
  } finally {
    await pool.end();
  }
});

function codecUrl(): string {
  return /codec server on (http:\/\/\S+)/.exec(codecServer.output())![1]!;
}
