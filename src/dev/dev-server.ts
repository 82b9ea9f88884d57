/**
 * Runs the Temporal CLI's dev server as a child process: persisted under `.data/` for `npm start`,
 * in memory on free ports for the test suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { stopChild } from './child-process';
import { isListening } from './free-port';

export interface DevServerOptions {
  binary: string;
  port: number;
  /** Web UI port, or null for a headless server. */
  uiPort: number | null;
  /** SQLite file that keeps workflows across restarts, or null to keep everything in memory. */
  dbFile: string | null;
  /** Where the server's own log goes; null discards it. */
  logFile: string | null;
  /** The codec server the Web UI asks to decode payloads (when the plans are encrypted). */
  uiCodecEndpoint?: string;
  /** Extra `--dynamic-config-value KEY=VALUE` settings, over DISPATCH_DYNAMIC_CONFIG. */
  dynamicConfig?: Record<string, unknown>;
}

/**
 * Dynamic config every dev server started here runs with (`npm start`, the tests, the benchmarks). The history
 * service reads its transfer queue at most 20 times a second per shard by default: a dozen tasks go through at once,
 * then each waits ~50 ms, and every workflow and activity task of a chain of steps waits twice (bench/RESULTS.md).
 * Eager activity execution hands a step's activity to the worker that scheduled it, without a task-queue round trip.
 * A self-hosted cluster wants the same (docs/operations.md, "Task dispatch latency").
 */
export const DISPATCH_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  'history.transferProcessorMaxPollRPS': 1000,
  'system.enableActivityEagerExecution': true,
};

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` and resolves once its frontend answers. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  for (const [key, value] of Object.entries({ ...DISPATCH_DYNAMIC_CONFIG, ...options.dynamicConfig })) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  const output = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.binary, args, { stdio: ['ignore', output, output] });
  const address = `127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `temporal server start-dev exited (${signal ?? `code ${code}`}) before answering on ${address}` +
            (options.logFile ? `; see ${options.logFile}` : ''),
        ),
      ),
    );
  });
  exited.catch(() => undefined); // observed below; a later exit after start is the owner's business
  try {
    await Promise.race([waitForFrontend(address, 60_000), exited]);
    // The CLI starts its UI server in the background, so a frontend that answers does not mean the UI does yet.
    if (options.uiPort !== null) await Promise.race([waitForUi(options.uiPort, 10_000), exited]);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { address, process: child, stop: () => stopChild(child) };
}

/** Resolves once a Temporal frontend answers at `address`, or rejects after `timeoutMs`. */
export function waitForFrontend(address: string, timeoutMs: number): Promise<void> {
  return pollUntil(() => answersAsTemporal(address), `no Temporal frontend answered on ${address}`, timeoutMs);
}

/** Resolves once the Web UI accepts connections on `port`, or rejects after `timeoutMs`. */
function waitForUi(port: number, timeoutMs: number): Promise<void> {
  return pollUntil(() => isListening('127.0.0.1', port), `the Web UI did not listen on port ${port}`, timeoutMs);
}

async function pollUntil(check: () => Promise<boolean>, failure: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${failure} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Tells whether a Temporal frontend answers at `address`. */
export async function answersAsTemporal(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}
