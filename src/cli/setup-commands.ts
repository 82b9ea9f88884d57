/**
 * `plan setup` and `plan migrate`: what a namespace and a database need before plans run on them, done idempotently,
 * so a team points the CLI at a bare namespace of its own cluster (or Cloud) and runs one command.
 */
import { ensureMemorySweepSchedule } from '../api/memory-sweep-schedule';
import { ensureSearchAttributes } from '../api/search-attributes';
import { applyMigrations } from '../store/migrate';
import { SEARCH_ATTRIBUTES } from '../workflows/definitions';
import type { Command } from './command';
import type { CliContext } from './context';
import { EXIT } from './errors';
import { noun } from './plural';

/** What `plan migrate`, `plan setup` and `plan worker` say of the migrations they applied. */
export const appliedMigrations = (applied: readonly number[]) =>
  `applied PostgreSQL ${noun(applied.length, 'migration')} ${applied.join(', ')}`;

async function migrate(ctx: CliContext): Promise<void> {
  const applied = await applyMigrations(await ctx.database());
  ctx.output.out(applied.length > 0 ? appliedMigrations(applied) : 'PostgreSQL schema up to date');
}

export const setup: Command = {
  spec: {
    usage: 'plan setup',
    summary:
      "Prepares the namespace and the database for plans, leaving what is already there alone: registers the plans'\n" +
      'search attributes, creates the shared-memory sweep Schedule and applies the PostgreSQL migrations.',
    example: 'TEMPORAL_ADDRESS=temporal.internal:7233 npm run -s plan -- setup --namespace plans-prod',
    options: {},
    positionals: 0,
  },
  async run(ctx) {
    const client = await ctx.temporal();
    const { namespace, taskQueue } = ctx.config;
    const added = await ensureSearchAttributes(client.connection, namespace);
    const names = SEARCH_ATTRIBUTES.map((key) => key.name).join(', ');
    ctx.output.out(
      added.length > 0
        ? `registered search ${noun(added.length, 'attribute')} ${added.join(', ')} on namespace ${namespace}`
        : `search attributes ${names} already on namespace ${namespace}`,
    );
    const created = await ensureMemorySweepSchedule(client, { taskQueue });
    ctx.output.out(`${created ? 'created' : 'kept'} the shared-memory sweep Schedule (task queue "${taskQueue}")`);
    await migrate(ctx);
    return EXIT.ok;
  },
};

export const migrateCommand: Command = {
  spec: {
    usage: 'plan migrate',
    summary: 'Applies pending PostgreSQL migrations to the side store (DATABASE_URL); `plan worker` does it too.',
    example: 'DATABASE_URL=postgres://plans@db.internal/plans npm run -s plan -- migrate',
    options: {},
    positionals: 0,
  },
  async run(ctx) {
    await migrate(ctx);
    return EXIT.ok;
  },
};
