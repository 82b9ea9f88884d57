/**
 * Finds the Temporal server, its SQL tool (temporal-sql-tool) and the PostgreSQL schemas of the same release, building
 * them with Go into the per-user cache on first use — for `npm run cluster` and the cluster test. One folder per
 * release, so a version bump builds afresh instead of running new schemas with an old server.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, goBinary, goInstall } from './temporal-binary';

/** The newest server release measured to build with `go install` (its go.mod has no replace directive). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  /** `temporal-server`: `start --service <name>` runs one service. */
  server: string;
  /** `temporal-sql-tool`: creates and migrates the server's databases. */
  sql: string;
  /** `schema/postgresql/v12` of the release: `temporal/versioned` and `visibility/versioned`. */
  schemaDir: string;
}

/** Raised when the server is not built yet and there is no Go toolchain to build it. */
export class TemporalServerMissingError extends Error {
  override readonly name = 'TemporalServerMissingError';
}

/** Where this release's server, SQL tool and schemas are kept. */
export function temporalServerDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

function expectedPaths(env: NodeJS.ProcessEnv): TemporalServerBinaries {
  const dir = temporalServerDir(env);
  return { server: join(dir, 'server'), sql: join(dir, 'sql'), schemaDir: join(dir, 'schema', 'postgresql', 'v12') };
}

/** The cached server, SQL tool and schemas, or null when any of them is missing. */
export function findTemporalServerBinaries(env: NodeJS.ProcessEnv = process.env): TemporalServerBinaries | null {
  const paths = expectedPaths(env);
  return Object.values(paths).every((path) => existsSync(path)) ? paths : null;
}

/** Returns the server, SQL tool and schemas, building what is missing with `go install` (minutes, the first time). */
export async function ensureTemporalServerBinaries(
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TemporalServerBinaries> {
  const found = findTemporalServerBinaries(env);
  if (found) return found;
  const go = goBinary(env);
  if (!go) {
    throw new TemporalServerMissingError(
      `The Temporal server (${SERVER_MODULE} ${TEMPORAL_SERVER_VERSION}) is not built yet and there is no Go toolchain ` +
        'to build it. Install Go (https://go.dev/dl/, 1.25 or newer) and run again; the build needs the Go module proxy.',
    );
  }
  const paths = expectedPaths(env);
  const dir = temporalServerDir(env);
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const packages = { server: 'cmd/server', sql: 'cmd/tools/sql' } as const;
  for (const [binary, pkg] of Object.entries(packages) as [keyof typeof packages, string][]) {
    if (existsSync(paths[binary])) continue;
    const module = `${SERVER_MODULE}/${pkg}@${TEMPORAL_SERVER_VERSION}`;
    log(`Building ${module} into ${dir} — first time only, takes a few minutes…`);
    await goInstall(go, module, dir, env);
  }
  if (!existsSync(paths.schemaDir)) await copySchemas(go, paths.schemaDir, env);
  log(
    `The Temporal server ${TEMPORAL_SERVER_VERSION} is ready in ${dir} (${Math.round((Date.now() - started) / 1000)} s).`,
  );
  return paths;
}

/** Copies the release's PostgreSQL schemas out of the Go module cache, whole or not at all. */
async function copySchemas(go: string, target: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { stdout } = await promisify(execFile)(
    go,
    ['mod', 'download', '-json', `${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`],
    {
      env,
      maxBuffer: 1 << 20,
    },
  );
  const { Dir: moduleDir } = JSON.parse(stdout) as { Dir?: string };
  const source = moduleDir && join(moduleDir, 'schema', 'postgresql', 'v12');
  if (!source || !existsSync(source)) {
    throw new TemporalServerMissingError(
      `go mod download ${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION} gave no schema/postgresql/v12 (module folder: ${moduleDir ?? 'none'})`,
    );
  }
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(source, partial, { recursive: true });
  // The module cache is read-only; the copy is made writable, so deleting the cache needs no chmod.
  for (const entry of ['', ...readdirSync(partial, { recursive: true, encoding: 'utf8' })]) {
    const path = join(partial, entry);
    chmodSync(path, statSync(path).mode | 0o200);
  }
  renameSync(partial, target);
}
