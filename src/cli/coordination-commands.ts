/** `plan locks` and `plan breakers`: how plans share what they reach, read from PostgreSQL where it is kept. */
import { RESOURCE_TIMING } from '../activities/resource-activities';
import { listLocks } from '../store/resource-locks';
import { listBreakers } from '../store/circuit-breakers';
import type { Command } from './command';
import { EXIT } from './errors';
import { table } from './render-state';

export const locks: Command = {
  spec: {
    usage: 'plan locks [--json]',
    summary:
      'Lists resource locks: for each resource, the plans and steps holding it (with their fencing token) and those\n' +
      'waiting for it, in the order they will get it. --json prints the rows.',
    example: 'npm run -s plan -- locks',
    options: { json: { type: 'boolean', description: 'print the rows as a JSON array' } },
    positionals: 0,
  },
  async run(ctx) {
    const rows = await listLocks(await ctx.database(), RESOURCE_TIMING.agingMs);
    if (ctx.output.json) ctx.output.out(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) ctx.output.out('No resource is held or waited for.');
    else
      ctx.output.out(
        table(
          ['RESOURCE', 'MODE', 'STATE', 'PLAN', 'STEP', 'SINCE', 'TOKEN'],
          rows.map((r) => [
            r.resource,
            r.mode,
            r.state === 'holds' ? 'holds' : `waits (#${r.position})`,
            r.planId,
            r.purpose === 'step' ? r.stepId : `${r.stepId} (compensation)`,
            r.since,
            r.token === null ? '' : String(r.token),
          ]),
        ),
      );
    return EXIT.ok;
  },
};

export const breakers: Command = {
  spec: {
    usage: 'plan breakers [--json]',
    summary:
      'Lists circuit breakers that have seen failures: per tool (and target), closed, open (until when) or half-open,\n' +
      'with their failure count and last error. --json prints the rows.',
    example: 'npm run -s plan -- breakers',
    options: { json: { type: 'boolean', description: 'print the rows as a JSON array' } },
    positionals: 0,
  },
  async run(ctx) {
    const rows = await listBreakers(await ctx.database());
    if (ctx.output.json) ctx.output.out(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) ctx.output.out('No circuit breaker has seen a failure.');
    else
      ctx.output.out(
        table(
          ['BREAKER', 'STATE', 'FAILURES', 'OPEN UNTIL', 'LAST ERROR'],
          rows.map((r) => [r.key, r.state, String(r.failures), r.openUntil ?? '', (r.lastError ?? '').slice(0, 80)]),
        ),
      );
    return EXIT.ok;
  },
};
