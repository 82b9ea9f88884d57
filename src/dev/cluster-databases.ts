/**
 * The Temporal cluster's two PostgreSQL databases (history and visibility), prepared as the release's own tool does
 * it: created when missing, `setup-schema -v 0.0` only when there is no schema yet, then `update-schema` to the
 * release's version every time — so running it again, or after a server upgrade, is safe.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { TemporalServerBinaries } from './temporal-server-binary';

export interface ClusterDatabases {
  /** Workflow histories, task queues, namespaces, cluster membership. */
  temporal: string;
  /** What `plan list` and Temporal's visibility queries read. */
  visibility: string;
}

export const DEFAULT_CLUSTER_DATABASES: ClusterDatabases = { temporal: 'temporal', visibility: 'temporal_visibility' };

/** How the server and its SQL tool reach PostgreSQL, read from a connection URL. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The host, port and login of a `postgres://` URL (the database in it is not the cluster's). */
export function postgresEndpoint(url: string): PostgresEndpoint {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: decodeURIComponent(parsed.password),
  };
}

/** Brings both databases to the release's schema; returns each one's name and schema version, for the banner. */
export async function prepareClusterDatabases(options: {
  binaries: TemporalServerBinaries;
  /** Any database on the PostgreSQL server the cluster uses. */
  serverUrl: string;
  databases: ClusterDatabases;
}): Promise<Record<keyof ClusterDatabases, string>> {
  const described = { ...options.databases };
  for (const kind of ['temporal', 'visibility'] as const) {
    const name = options.databases[kind];
    if (!/^[a-z_][a-z0-9_]*$/i.test(name)) {
      throw new Error(`"${name}" is not a usable database name for the cluster: use letters, digits and underscores`);
    }
    await createDatabaseIfMissing(options.serverUrl, name);
    const url = withDatabase(options.serverUrl, name);
    const sql = (...args: string[]) => runSqlTool(options.binaries.sql, options.serverUrl, name, args);
    if ((await schemaVersion(url)) === null) await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '-d', join(options.binaries.schemaDir, kind, 'versioned'));
    described[kind] = `${name} (schema ${await schemaVersion(url)})`;
  }
  return described;
}

/** Drops both databases (for tests that made theirs for one run). */
export async function dropClusterDatabases(serverUrl: string, databases: ClusterDatabases): Promise<void> {
  for (const name of Object.values(databases)) {
    await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  });
}

/** The version the SQL tool recorded, or null when the database has no schema yet. */
async function schemaVersion(url: string): Promise<string | null> {
  return onServer(url, async (client) => {
    const { rows } = await client.query<{ exists: boolean }>(
      "SELECT to_regclass('schema_version') IS NOT NULL AS exists",
    );
    if (!rows[0]!.exists) return null;
    const version = await client.query<{ curr_version: string }>('SELECT curr_version FROM schema_version');
    return version.rows[0]?.curr_version ?? null;
  });
}

async function runSqlTool(tool: string, serverUrl: string, database: string, args: string[]): Promise<void> {
  const { host, port, user, password } = postgresEndpoint(serverUrl);
  const connection = ['--plugin', 'postgres12', '--ep', host, '--port', String(port), '--user', user, '--db', database];
  try {
    // The password travels in the environment, out of `ps`; nothing else does (a stray SQL_TLS would change the tool).
    await promisify(execFile)(tool, [...connection, ...args], {
      env: { SQL_PASSWORD: password },
      maxBuffer: 16 << 20,
    });
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    const said = `${stdout ?? ''}${stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`temporal-sql-tool ${args[0]} on database ${database} failed:\n${said || (err as Error).message}`);
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function onServer<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
