/**
 * Finds the PostgreSQL the stack uses: DATABASE_URL when set, else the local server on 5432,
 * else an embedded PostgreSQL (see embedded-postgres.ts) with its data in `.data/`.
 */
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULTS } from '../config';
import { embeddedBinaries, startEmbeddedPostgres } from './embedded-postgres';
import { isListening } from './free-port';

export interface Database {
  url: string;
  /** What it is, for the start-up banner. */
  origin: 'DATABASE_URL' | 'local server' | 'embedded (already running)' | 'embedded (started)';
  stop(): Promise<void>;
}

/** Raised when the configured PostgreSQL cannot be reached and no fallback applies. */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
}

/** Returns a reachable PostgreSQL, starting an embedded one under `dataDir` only when DATABASE_URL is unset. */
export async function resolveDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
  port?: number;
  log: (line: string) => void;
}): Promise<Database> {
  const noop = async () => undefined;
  if (options.databaseUrl) {
    const problem = await probe(options.databaseUrl);
    if (problem) {
      throw new DatabaseUnreachableError(
        `PostgreSQL at DATABASE_URL (${redact(options.databaseUrl)}) is unreachable: ${problem}`,
      );
    }
    return { url: options.databaseUrl, origin: 'DATABASE_URL', stop: noop };
  }
  const localProblem = await probe(DEFAULTS.databaseUrl);
  if (!localProblem) return { url: DEFAULTS.databaseUrl, origin: 'local server', stop: noop };

  const port = options.port ?? DEFAULTS.embeddedPostgresPort;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (await isListening('127.0.0.1', port)) {
    const problem = await probe(url);
    if (problem)
      throw new DatabaseUnreachableError(
        `port ${port} is taken by something that is not our embedded PostgreSQL: ${problem}`,
      );
    return { url, origin: 'embedded (already running)', stop: noop };
  }
  const binaries = embeddedBinaries();
  if (!binaries) {
    throw new DatabaseUnreachableError(
      `PostgreSQL at ${redact(DEFAULTS.databaseUrl)} is unreachable (${localProblem}) and the embedded PostgreSQL ` +
        'binaries are not installed (optional dependency embedded-postgres). Start PostgreSQL or set DATABASE_URL.',
    );
  }
  options.log(
    `PostgreSQL at ${redact(DEFAULTS.databaseUrl)} is unreachable (${localProblem}); starting an embedded one on port ${port}.`,
  );
  const server = await startEmbeddedPostgres(join(options.dataDir, 'postgres'), port, binaries);
  return { url: server.url, origin: 'embedded (started)', stop: server.stop };
}

/** Returns null when a query succeeds, else why it failed. */
async function probe(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message || (err as { code?: string }).code || 'connection failed';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Hides the password of a connection URL. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
