/**
 * Applies the numbered SQL files in `migrations/` in order, each in its own transaction that records its version,
 * under an advisory lock so two processes starting at once do not race. Files are never edited once landed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { inTransaction } from './pool';

export const MIGRATIONS_DIR = join(__dirname, 'migrations');
const LOCK_KEY = 'durable-plans:migrations';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNN_name.sql` files, sorted by version; refuses a malformed name or a repeated version. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d+)_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`migration file ${file}: name must look like 001_what_it_does.sql`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1]!.version === m.version) throw new Error(`two migrations share version ${m.version}`);
  });
  return migrations;
}

/** Applies the migrations not yet recorded in `schema_migrations`; returns the versions it applied. */
export async function applyMigrations(pool: Pool, dir: string = MIGRATIONS_DIR): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of readMigrations(dir)) {
    await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_KEY]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.rowCount === 0) {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        applied.push(migration.version);
      }
    }).catch((err: unknown) => {
      throw new Error(`migration ${migration.version}_${migration.name} failed: ${(err as Error).message}`, {
        cause: err,
      });
    });
  }
  return applied;
}
