/**
 * One Temporal service (history, matching, frontend or worker) as a process of its own, its output appended to a log
 * file in the data folder: started, stopped and restarted by the cluster, and reported when it exits on its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, fstatSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from './child-process';
import { CLUSTER_CONFIG_FOLDER, type ClusterServiceName, type ServicePorts } from './cluster-config';
import { isListening } from './free-port';

export interface ClusterService {
  readonly name: ClusterServiceName;
  readonly ports: ServicePorts;
  readonly logFile: string;
  /** The running process's id, or null while it is stopped. */
  pid(): number | null;
  /** Starts the process; resolves once it listens on its membership port, rejects with its log if it exits first. */
  start(): Promise<void>;
  /** SIGTERM (the server shuts down gracefully), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/** A service of the cluster whose configuration is in `<dataDir>/config`; `onExit` hears of exits nobody asked for. */
export function clusterService(options: {
  name: ClusterServiceName;
  binary: string;
  dataDir: string;
  ports: ServicePorts;
  onExit: (service: ClusterServiceName, report: string) => void;
}): ClusterService {
  const { name, binary, dataDir, ports } = options;
  const logFile = join(dataDir, `${name}.log`);
  // The running process, and whether its exit is expected (asked for, or while it starts, when start() reports it).
  let current: { process: ChildProcess; quiet: boolean } | null = null;

  return {
    name,
    ports,
    logFile,
    pid: () => current?.process.pid ?? null,
    async start() {
      if (current) throw new Error(`the ${name} service is already running (pid ${current.process.pid})`);
      const log = openSync(logFile, 'a');
      writeSync(log, `--- ${new Date().toISOString()} starting the ${name} service ---\n`);
      const args = ['--root', dataDir, '--config', CLUSTER_CONFIG_FOLDER, '--env', 'development', '--allow-no-auth'];
      // A process group of its own: Ctrl-C in the terminal reaches only `npm run cluster`, which then stops the
      // services itself, instead of every service at once.
      const child = spawn(binary, [...args, 'start', '--service', name], {
        stdio: ['ignore', log, log],
        detached: true,
      });
      closeSync(log);
      const running = { process: child, quiet: true };
      current = running;
      let ended: string | null = null;
      const end = (said: string) => {
        if (ended !== null) return;
        ended = said;
        if (current === running) current = null;
        if (!running.quiet) options.onExit(name, said);
      };
      child.once('exit', (code, signal) =>
        end(`the ${name} service exited (${signal ?? `code ${code}`}); the end of ${logFile}:\n${logTail(logFile)}`),
      );
      child.once('error', (err) => end(`the ${name} service could not start (${binary}): ${err.message}`));
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!(await isListening('127.0.0.1', ports.membership))) {
        if (ended !== null) throw new Error(ended);
        if (Date.now() > deadline) {
          await stopChild(child);
          throw new Error(
            `the ${name} service did not listen on port ${ports.membership} within ${START_TIMEOUT_MS} ms; see ${logFile}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (ended !== null) throw new Error(ended);
      running.quiet = false;
    },
    async stop() {
      if (!current) return;
      current.quiet = true;
      await stopChild(current.process, 15_000);
    },
  };
}

/**
 * The last lines of a log file, read from its end so a long log costs nothing; the server's JSON lines shortened to
 * their level, message and error (their stack traces would hide the reason).
 */
export function logTail(file: string, lines = 12): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 65_536);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString().trimEnd().split('\n').slice(-lines).map(readable).join('\n');
  } finally {
    closeSync(fd);
  }
}

function readable(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const { level, ts, msg, error } = JSON.parse(line) as Record<string, unknown>;
    return [ts, level, msg, error].filter((part) => part !== undefined).join('  ');
  } catch {
    return line;
  }
}
