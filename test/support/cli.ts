/**
 * The `plan` command line as a user runs it: `node scripts/plan.js <args>` in a child process, against the suite's
 * Temporal dev server and throw-away database (never a developer's), with stdout, stderr and the exit code captured.
 * Asynchronous on purpose: a test's worker runs in the test's own process and must keep polling while the CLI waits.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './child';
import { testStack } from './test-stack';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to (or, with undefined, removed from) the environment the command runs with. */
  env?: Record<string, string | undefined>;
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  /** The command is killed, and the call rejects with its output so far, after this long. */
  timeoutMs?: number;
  /** Nobody reads stdout: the pipe is closed before the command writes (`plan ... | head` once head has enough). */
  stdoutClosed?: boolean;
}

/** The environment every command runs with: the suite's servers, and nothing inherited that could redirect it. */
export function baseEnv(): NodeJS.ProcessEnv {
  const stack = testStack();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    DATABASE_URL: stack.databaseUrl,
    // A queue no worker polls unless a test names its worker's queue.
    PLAN_TASK_QUEUE: 'cli-test-no-worker',
  };
  delete env.TEMPORAL_NAMESPACE;
  delete env.TEMPORAL_UI_URL;
  // A developer's own temporal.toml (a Cloud profile with TLS, say) must not redirect the suite's commands.
  env.TEMPORAL_CONFIG_FILE = join(ROOT, 'test', 'no-temporal.toml');
  for (const name of Object.keys(env)) if (/^TEMPORAL_(PROFILE|API_KEY|TLS|GRPC_META)/.test(name)) delete env[name];
  delete env.NODE_OPTIONS; // jest's, if any, are not the user's
  return env;
}

/** Runs `plan <args>`; resolves with its exit code and output once it exits. */
export function cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = baseEnv();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'plan.js'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  if (options.stdoutClosed) child.stdout.destroy();
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => undefined); // a command that never reads stdin may exit before we finish writing
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`plan ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`),
      );
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `cli` bound to a task queue (the test worker's), so started plans run and queries are answered. */
export function cliOn(taskQueue: string): (args: string[], options?: CliOptions) => Promise<CliResult> {
  return (args, options = {}) => cli(args, { ...options, env: { PLAN_TASK_QUEUE: taskQueue, ...options.env } });
}

/** Retries a CLI call until `done` holds for its result (for eventually consistent reads); returns the last result. */
export async function cliUntil(
  call: () => Promise<CliResult>,
  done: (result: CliResult) => boolean,
  { attempts = 8, everyMs = 500 } = {},
): Promise<CliResult> {
  let last = await call();
  for (let i = 1; i < attempts && !done(last); i++) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    last = await call();
  }
  return last;
}

/** A folder for plan files, and a function that writes one there and returns its path. */
export function planFiles(): (name: string, content: string | object) => string {
  const dir = mkdtempSync(join(tmpdir(), 'durable-plans-cli-'));
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  };
}

/** What a stack trace looks like in stderr. */
export const STACK_TRACE = /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at .+:\d+:\d+/;
