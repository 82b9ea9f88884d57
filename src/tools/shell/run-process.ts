import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { RUN_MARKER_VARIABLE, signalRun } from './run-processes';
import { TailBuffer } from './tail-buffer';

/** After SIGTERM, how long a process may tidy up before SIGKILL, when the deadline leaves that much time. */
const KILL_GRACE_MS = 2_000;
/**
 * Once the command is gone and its leftovers killed, how long its output may take to drain; a pipe still open after
 * that is held by a process that escaped the kill, and is closed on our side rather than waited for.
 */
const DRAIN_MS = 500;

export interface ProcessRequest {
  command: string;
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  maxOutputBytes: number;
  /** Values replaced in the output before it is cut to `maxOutputBytes`. */
  secrets: readonly string[];
  /** Aborting stops the command and everything it started: SIGTERM, then SIGKILL after a grace period. */
  signal: AbortSignal;
  /** Epoch ms by which everything the command started is killed, and the outcome settled, whatever the grace. */
  deadline: number;
}

export interface ProcessOutcome {
  exitCode: number | null;
  /** The signal that ended the process, when one did. */
  signal: NodeJS.Signals | null;
  /** Secrets redacted. */
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** True when the abort signal stopped it. */
  stopped: boolean;
}

/**
 * The grace between SIGTERM and SIGKILL for a command that must be gone by `deadline`: 2 s, or a quarter of the time
 * left when that is less. The caller aborts this long before the deadline, so the SIGKILL still lands before it.
 */
export function killGraceMs(deadline: number): number {
  // Whole milliseconds: AbortSignal.timeout refuses fractions.
  return Math.max(0, Math.min(KILL_GRACE_MS, Math.floor((deadline - Date.now()) / 4)));
}

/**
 * Runs an executable without a shell (arguments arrive exactly as given) as the leader of a session and process group
 * of its own, so that stopping it also stops whatever it started (see `signalRun`). Settles once the command and its
 * leftovers are gone; rejects only when it cannot be started.
 */
export function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const marker = randomUUID();
    const stdout = new TailBuffer(request.maxOutputBytes, request.secrets);
    const stderr = new TailBuffer(request.maxOutputBytes, request.secrets);
    let stopped = false;
    const timers: NodeJS.Timeout[] = [];
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      env: { ...request.env, [RUN_MARKER_VARIABLE]: marker },
      shell: false,
      detached: true, // setsid(): a session and process group of its own
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let killing: Promise<void> = Promise.resolve();
    const signalAll = (signal: 'SIGTERM' | 'SIGKILL') => {
      const pid = child.pid;
      if (pid !== undefined) killing = killing.then(() => signalRun(pid, marker, signal));
    };
    const untilDeadline = (ms: number) => Math.max(0, Math.min(ms, request.deadline - Date.now()));
    const stop = () => {
      stopped = true;
      signalAll('SIGTERM');
      timers.push(setTimeout(() => signalAll('SIGKILL'), untilDeadline(killGraceMs(request.deadline))));
    };
    const finish = () => {
      timers.forEach(clearTimeout);
      request.signal.removeEventListener('abort', stop);
    };
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // What the command left running would outlive the step and hold its output open.
    child.on('exit', () => {
      signalAll('SIGKILL');
      void killing.then(() => {
        timers.push(
          setTimeout(() => {
            child.stdout.destroy();
            child.stderr.destroy();
          }, untilDeadline(DRAIN_MS)),
        );
      });
    });
    child.once('error', (err) => {
      finish();
      reject(err);
    });
    child.once('close', (exitCode, signal) => {
      void killing.then(() => {
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
    });
    if (request.signal.aborted) stop();
    else request.signal.addEventListener('abort', stop, { once: true });
  });
}
