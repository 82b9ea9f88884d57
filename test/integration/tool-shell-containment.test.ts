import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretSource } from '../../src/activities/secret-source';
import { cancelPlan } from '../../src/api/plans';
import type { PlanSnapshot } from '../../src/plan';
import { getPlanProgress, getTaskPlansByPlan } from '../../src/store/mirror-reads';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { alive } from '../support/process-alive';

// A plan written by a model tries to get past the shell tool's allowlists, or to leave something running.

jest.setTimeout(60_000);

let env: TestWorker;
const referencedSecret = `ref-${randomUUID()}`;
const scratch = mkdtempSync(join(tmpdir(), 'tool-shell-containment-'));

beforeAll(async () => {
  env = await startTestWorker(undefined, {
    toolSettings: {
      shell: {
        allow: ['node *', 'git status', 'git log *', 'find . -maxdepth 1', 'sh -c *'],
        envAllow: ['GREETING', 'TOKEN'],
        env: { PATH: process.env.PATH! },
      },
    },
    secrets: createSecretSource({ values: { SHELL_TOKEN: referencedSecret }, file: null }),
  });
});
afterAll(() => env?.stop());

/** Runs one shell step; returns the final state once the mirror has caught up with it. */
async function runShell(parameters: Record<string, unknown>, step: Record<string, unknown> = {}) {
  const handle = await env.start({ steps: [{ id: 'run', toolName: 'shell', maxRetries: 0, parameters, ...step }] });
  const state = await handle.result();
  await eventually(
    async () => (await getPlanProgress(env.pool, state.planId))?.status === state.status,
    'the mirror to catch up',
  );
  return state;
}

/** The plan's state and its mirror agree on the refused or stopped step. */
async function expectMirrored(state: PlanSnapshot) {
  const [task] = await getTaskPlansByPlan(env.pool, state.planId);
  const step = state.steps[0]!;
  expect(task).toMatchObject({ status: step.status, errorType: step.errorType, errorMessage: step.error });
  return task!;
}

const proof = () => join(scratch, `ran-${randomUUID()}`);

describe('refused with ShellNotAllowed, not retried, nothing run, the plan failed cleanly and mirrored', () => {
  test.each([
    [
      'an allowed `git status` turned into anything by an alias',
      (file: string) => ({
        command: 'git',
        args: ['-c', `alias.st=!touch ${file}`, 'st'],
      }),
      'the closest shape in the worker\'s PLAN_SHELL_ALLOW is "git status"',
    ],
    [
      '`git log *` cannot be reached through global options before it',
      (file: string) => ({
        command: 'git',
        args: ['-c', `core.pager=touch ${file}`, 'log'],
      }),
      'the closest shape',
    ],
    [
      'an allowed `find .` given -exec',
      (file: string) => ({
        command: 'find',
        args: ['.', '-maxdepth', '1', '-exec', 'touch', file, ';'],
      }),
      'is "find . -maxdepth 1"',
    ],
    [
      'an allowed `git status` with GIT_SSH_COMMAND',
      (file: string) => ({
        command: 'git',
        args: ['status'],
        env: { GIT_SSH_COMMAND: `touch ${file}` },
      }),
      'shell may not set the environment variable GIT_SSH_COMMAND: it lets the program load code',
    ],
    [
      'an allowed `node` with NODE_OPTIONS=--require',
      (file: string) => ({
        command: 'node',
        args: ['-e', '1'],
        secretEnv: { NODE_OPTIONS: `--require ${file}` },
      }),
      'shell may not set the environment variable NODE_OPTIONS: it lets the program load code',
    ],
    [
      'an allowed `node` with LD_PRELOAD',
      (file: string) => ({
        command: 'node',
        args: ['-e', '1'],
        env: { LD_PRELOAD: file },
      }),
      'LD_PRELOAD: it lets the program load code',
    ],
    [
      'a variable PLAN_SHELL_ENV_ALLOW does not name',
      () => ({
        command: 'node',
        args: ['-e', '1'],
        env: { GREETING: 'hi', OTHER: 'x' },
      }),
      "OTHER: the worker's PLAN_SHELL_ENV_ALLOW allows only GREETING, TOKEN",
    ],
  ])('%s', async (_, parameters, message) => {
    const file = proof();
    const state = await runShell(parameters(file), { maxRetries: 3 });
    expect(state).toMatchObject({ status: 'failed' });
    expect(state.steps[0]).toMatchObject({ status: 'failed', attempts: 1, errorType: 'ShellNotAllowed' });
    expect(state.steps[0]!.error).toContain(message);
    expect(existsSync(file)).toBe(false);
    await expectMirrored(state);
  });
});

// Each writes its own pid: one in the command's group, one in a session of its own (setsid), and one in a session of
// its own whose parent has exited (so it is an orphan, and no parent links it to the command).
const pidFiles = (dir: string) => ['background', 'session', 'orphan'].map((name) => join(dir, name));
function leaveProcessesBehind(dir: string): string {
  const [background, session, orphan] = pidFiles(dir);
  return [
    `sh -c 'echo $$ > ${background}; exec sleep 1000' &`,
    `setsid sh -c 'echo $$ > ${session}; exec sleep 1000' &`,
    `(setsid sh -c 'echo $$ > ${orphan}; exec sleep 1000' &)`,
    'wait',
  ].join('\n');
}
const written = (dir: string) => pidFiles(dir).every((file) => existsSync(file) && readFileSync(file, 'utf8') !== '');
const pids = (dir: string) => pidFiles(dir).map((file) => Number(readFileSync(file, 'utf8')));

test('after a timeout, nothing the command started is left: not its group, not setsid, not an orphan', async () => {
  const dir = mkdtempSync(join(scratch, 'timeout-'));
  const state = await runShell({ command: 'sh', args: ['-c', leaveProcessesBehind(dir)], timeoutMs: 1_500 });
  expect(state.steps[0]).toMatchObject({ status: 'failed', errorType: 'ShellTimeout' });
  expect(written(dir)).toBe(true);
  // The step settles only once the sweep is done: no waiting here.
  expect(pids(dir).filter(alive)).toEqual([]);
  await expectMirrored(state);
});

test('after a cancellation, nothing the command started is left either', async () => {
  const dir = mkdtempSync(join(scratch, 'cancel-'));
  const handle = await env.start({
    steps: [{ id: 'run', toolName: 'shell', parameters: { command: 'sh', args: ['-c', leaveProcessesBehind(dir)] } }],
  });
  await eventually(() => written(dir), 'the command to start its processes');
  expect(pids(dir).every(alive)).toBe(true);
  await cancelPlan(env.client, handle.workflowId, { reason: 'test' });
  const state = await handle.result();
  expect(state.status).toBe('cancelled');
  expect(pids(dir).filter(alive)).toEqual([]);
});

test('a command that ignores SIGTERM is killed within the step timeout, failing with ShellTimeout', async () => {
  const file = proof();
  const script = `require('fs').writeFileSync(process.argv[1], String(process.pid));
    process.on('SIGTERM', () => {});
    setInterval(() => {}, 1000);`;
  // No timeoutMs of the tool's own: the step's start-to-close timeout is the limit, and the kill grace must fit in it.
  const started = Date.now();
  const state = await runShell({ command: 'node', args: ['-e', script, file] }, { timeoutMs: 3_000 });
  expect(state.steps[0]).toMatchObject({ status: 'failed', attempts: 1, errorType: 'ShellTimeout' });
  expect(Date.now() - started).toBeLessThan(6_000);
  expect(alive(Number(readFileSync(file, 'utf8')))).toBe(false);
});

describe('a secret straddling the point where output is cut leaves no part of itself', () => {
  const secret = `tok-${randomUUID()}`;
  // 20 bytes of the secret, then "tail", are the last 24 bytes of each stream.
  const script = `const out = 'x'.repeat(5000) + process.env.TOKEN + 'tail';
    process.stdout.write(out);
    process.stderr.write(out);
    process.exitCode = Number(process.argv[1]);`;
  const run = (exitCode: number) =>
    runShell({
      command: 'node',
      args: ['-e', script, String(exitCode)],
      secretEnv: { TOKEN: secret },
      maxOutputBytes: 24,
    });

  function expectNoPiece(text: string) {
    for (let at = 0; at + 8 <= secret.length; at++) expect(text).not.toContain(secret.slice(at, at + 8));
  }

  test('in the result', async () => {
    const state = await run(0);
    expect(state.steps[0]!.result).toMatchObject({ stdout: '[redacted]tail', stderr: '[redacted]tail' });
    expectNoPiece(JSON.stringify(state));
    expectNoPiece(JSON.stringify(await expectMirrored(state)));
  });

  test('given by reference in env, not as secretEnv', async () => {
    const state = await runShell({
      command: 'node',
      args: ['-e', script.replace('process.env.TOKEN', 'process.env.GREETING'), '0'],
      env: { GREETING: '{{secrets.SHELL_TOKEN}}' },
      maxOutputBytes: 24,
    });
    expect(state.steps[0]!.result).toMatchObject({ stdout: '[redacted]tail', stderr: '[redacted]tail' });
    for (let at = 0; at + 8 <= referencedSecret.length; at++) {
      expect(JSON.stringify(state)).not.toContain(referencedSecret.slice(at, at + 8));
      expect(JSON.stringify(await expectMirrored(state))).not.toContain(referencedSecret.slice(at, at + 8));
    }
  });

  test('in the error', async () => {
    const state = await run(3);
    expect(state.steps[0]).toMatchObject({ status: 'failed', errorType: 'ShellExitError' });
    expect(state.steps[0]!.error).toBe('node exited with code 3: [redacted]tail');
    expectNoPiece(JSON.stringify(state));
    expectNoPiece(JSON.stringify(await expectMirrored(state)));
  });
});
