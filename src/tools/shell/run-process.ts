import { spawn } from 'node:child_process';
import { TailBuffer } from './tail-buffer';

/** After SIGTERM, how long a process may tidy up before SIGKILL. */
const KILL_GRACE_MS = 2_000;

export interface ProcessRequest {
  command: string;
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  maxOutputBytes: number;
  /** Aborting stops the process group: SIGTERM, then SIGKILL after a grace period. */
  signal: AbortSignal;
}

export interface ProcessOutcome {
  exitCode: number | null;
  /** The signal that ended the process, when one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** True when the abort signal stopped it. */
  stopped: boolean;
}

/**
 * Runs an executable without a shell (arguments arrive exactly as given) in a process group of its own, so that
 * stopping it also stops whatever it started. Rejects only when it cannot be started.
 */
export function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const stdout = new TailBuffer(request.maxOutputBytes);
    const stderr = new TailBuffer(request.maxOutputBytes);
    let stopped = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      env: request.env,
      shell: false,
      detached: true, // its own process group
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stop = () => {
      stopped = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const finish = () => {
      clearTimeout(killTimer);
      request.signal.removeEventListener('abort', stop);
    };
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // What the command left running would outlive the step and hold its output open.
    child.on('exit', () => signalGroup(child.pid, 'SIGKILL'));
    child.once('error', (err) => {
      finish();
      reject(err);
    });
    child.once('close', (exitCode, signal) => {
      finish();
      resolve({
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        durationMs: Date.now() - started,
        stopped,
      });
    });
    if (request.signal.aborted) stop();
    else request.signal.addEventListener('abort', stop, { once: true });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we wanted.
  }
}
