import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_MARKER_VARIABLE } from '../../src/tools/shell/run-processes';
import { startTestWorker, type TestWorker } from '../support/plan-worker';

let env: TestWorker;
const scratch = mkdtempSync(join(tmpdir(), 'tool-shell-'));

beforeAll(async () => {
  // As PLAN_SHELL_ALLOW='node *' and PLAN_SHELL_ENV_ALLOW=GREETING,TOKEN would configure it.
  env = await startTestWorker(undefined, {
    toolSettings: { shell: { allow: ['node *'], envAllow: ['GREETING', 'TOKEN'], env: { PATH: process.env.PATH! } } },
  });
});
afterAll(() => env?.stop());

async function runShell(parameters: Record<string, unknown>, step: Record<string, unknown> = {}) {
  const handle = await env.start({ steps: [{ id: 'run', toolName: 'shell', retryDelayMs: 50, parameters, ...step }] });
  return (await handle.result()).steps[0]!;
}
const node = (script: string, ...args: string[]) => ({ command: 'node', args: ['-e', script, ...args] });

test('runs a command and returns its exit code, stdout and stderr', async () => {
  const step = await runShell(node("console.log('hello'); console.error('a warning')"));
  expect(step).toMatchObject({ status: 'completed', attempts: 1 });
  expect(step.result).toMatchObject({ exitCode: 0, stdout: 'hello\n', stderr: 'a warning\n', stdoutTruncated: false });
  expect((step.result as { durationMs: number }).durationMs).toBeGreaterThan(0);
});

test("a non-zero exit fails with ShellExitError naming the code and the end of stderr, retried by the plan's policy", async () => {
  const step = await runShell(node("console.error('first line'); console.error('it broke'); process.exit(3)"), {
    maxRetries: 1,
  });
  expect(step).toMatchObject({ status: 'failed', attempts: 2, errorType: 'ShellExitError' });
  expect(step.error).toBe('node exited with code 3: first line\nit broke');
});

test('a command PLAN_SHELL_ALLOW does not list is refused, naming the variable, and not retried', async () => {
  const step = await runShell({ command: 'sh', args: ['-c', 'echo hi'] }, { maxRetries: 2 });
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'ShellNotAllowed' });
  expect(step.error).toBe(
    'shell may not run sh -c "echo hi": the worker\'s PLAN_SHELL_ALLOW has no shape for "sh"; it allows "node *"',
  );
  // Exact names only: a path to the same program is a different entry.
  expect(await runShell({ command: process.execPath, args: ['-e', '1'] })).toMatchObject({
    errorType: 'ShellNotAllowed',
  });
});

test('arguments arrive exactly as written: no shell, no interpolation', async () => {
  const literal = ['$(echo hi)', '`id`', '*', '; rm -rf /', '$HOME', 'it\'s "quoted"'];
  const step = await runShell(node('console.log(JSON.stringify(process.argv.slice(1)))', ...literal));
  expect(JSON.parse((step.result as { stdout: string }).stdout)).toEqual(literal);
});

test("the command sees the worker's PATH and its own env, not the worker's other variables; secretEnv stays secret", async () => {
  const step = await runShell({
    ...node(
      'console.log(JSON.stringify({ keys: Object.keys(process.env).sort(), greeting: process.env.GREETING, token: process.env.TOKEN }))',
    ),
    env: { GREETING: 'hi' },
    secretEnv: { TOKEN: 'tok-123456' },
  });
  const out = JSON.parse((step.result as { stdout: string }).stdout.replace('[redacted]', 'REDACTED'));
  // The run's marker lets the tool find whatever the command started, even outside its process group.
  expect(out).toEqual({ keys: [RUN_MARKER_VARIABLE, 'GREETING', 'PATH', 'TOKEN'], greeting: 'hi', token: 'REDACTED' });
  expect(JSON.stringify(step)).not.toContain('tok-123456');
});

test('PATH cannot be set by a step: the plan is refused before it starts', async () => {
  await expect(runShell({ ...node('1'), env: { PATH: '/tmp/evil' } })).rejects.toThrow('plan is invalid');
  await expect(runShell({ ...node('1'), secretEnv: { PATH: '/tmp/evil' } })).rejects.toThrow('plan is invalid');
});

test('long output keeps its tail and says it was cut', async () => {
  const step = await runShell({ ...node("process.stdout.write('x'.repeat(5000) + 'THE END')"), maxOutputBytes: 100 });
  const result = step.result as { stdout: string; stdoutTruncated: boolean };
  expect(result.stdout).toHaveLength(100);
  expect(result.stdout.endsWith('xxTHE END')).toBe(true);
  expect(result.stdoutTruncated).toBe(true);
});

test('a command that cannot start fails with ShellSpawnError, not retried', async () => {
  const step = await runShell({ ...node('1'), cwd: join(scratch, 'no-such-dir') }, { maxRetries: 2 });
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'ShellSpawnError' });
  expect(step.error).toContain('ENOENT');
});

test('a command past timeoutMs is stopped and fails with ShellTimeout', async () => {
  const started = Date.now();
  const step = await runShell({ ...node('setInterval(() => {}, 1000)'), timeoutMs: 300 });
  expect(step).toMatchObject({ status: 'failed', errorType: 'ShellTimeout' });
  expect(Date.now() - started).toBeLessThan(5_000);
});
