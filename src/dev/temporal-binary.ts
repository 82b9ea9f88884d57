/**
 * Finds the Temporal CLI (which carries the dev server), building it with Go on first use.
 * The build lands in a per-user cache outside the clone, so every clone and CI run on the machine reuses it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** v1.5.1 is the newest CLI release whose go.mod has no replace directive, so the newest `go install` can build. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Raised when there is neither a `temporal` binary nor a Go toolchain to build one. */
export class TemporalCliMissingError extends Error {
  override readonly name = 'TemporalCliMissingError';
}

/** The per-user folder where the project caches what it builds (the Temporal CLI, the Temporal server). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DURABLE_PLANS_CACHE) return env.DURABLE_PLANS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'durable-plans');
}

/** Returns the path of a usable `temporal` binary without building anything, or null. */
export function findTemporalBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_CLI_PATH) {
    if (!existsSync(env.TEMPORAL_CLI_PATH)) {
      throw new TemporalCliMissingError(`TEMPORAL_CLI_PATH points at ${env.TEMPORAL_CLI_PATH}, which does not exist`);
    }
    return env.TEMPORAL_CLI_PATH;
  }
  const cached = join(cacheDir(env), 'bin', 'temporal');
  if (existsSync(cached)) return cached;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  return null;
}

/** Returns a `temporal` binary, building it into the cache with `go install` when none is found. */
export async function ensureTemporalBinary(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const found = findTemporalBinary(env);
  if (found) return found;
  const go = goBinary(env);
  if (!go) {
    throw new TemporalCliMissingError(
      'No Temporal CLI found and no Go toolchain to build it. Install Go (https://go.dev/dl/, 1.23 or newer) ' +
        `and run npm again, or install the Temporal CLI yourself and set TEMPORAL_CLI_PATH (or put \`temporal\` on PATH).`,
    );
  }
  const bin = join(cacheDir(env), 'bin');
  log(`Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${bin} — first time only, takes a few minutes…`);
  const started = Date.now();
  await goInstall(go, TEMPORAL_CLI_MODULE, bin, env).catch((err: Error) => {
    throw new TemporalCliMissingError(err.message);
  });
  log(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s.`);
  return join(bin, 'temporal');
}

/** Runs `go install <module>` with the binary landing in `bin`, statically linked unless CGO_ENABLED says otherwise. */
export function goInstall(go: string, module: string, bin: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', module], {
      env: { ...env, GOBIN: bin, CGO_ENABLED: env.CGO_ENABLED ?? '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go install ${module} failed (exit ${code}); its output is above`)),
    );
  });
}

/** The Go toolchain: `go` on PATH, else the standard install location; null when there is none. */
export function goBinary(env: NodeJS.ProcessEnv): string | null {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    const probe = spawnSync(candidate, ['version'], { env, stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}
