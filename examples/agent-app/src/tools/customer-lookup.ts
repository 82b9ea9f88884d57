import { ApplicationFailure, defineTool } from 'durable-plans';
import { z } from 'zod';
import { database } from './database';

/** Reads one customer and their credit balance; a customer that does not exist fails the step without retries. */
export const customerLookup = defineTool({
  name: 'customer_lookup',
  description: 'Looks a customer up by id: their name, tier and the credits they have received, in cents.',
  parameters: z.object({
    customerId: z.string().regex(/^c-\d+$/, 'a customer id looks like c-100'),
  }),
  // Checked after every call and shown to the planner, so later steps can rely on {{steps.<id>.result.name}}.
  result: z.object({
    customerId: z.string(),
    name: z.string(),
    tier: z.enum(['gold', 'silver']),
    creditedCents: z.number().int(),
  }),
  risk: 'read',
  // One indexed query: a lookup that takes longer than this is stuck, whatever the plan's default step timeout.
  timeoutMs: 10_000,
  run: async ({ customerId }, context) => {
    const db = await database(context);
    const { rows } = await db.query<{ name: string; tier: 'gold' | 'silver'; credited_cents: string }>(
      `SELECT c.name, c.tier, coalesce(sum(k.amount_cents), 0) AS credited_cents
         FROM agent_app_customers c LEFT JOIN agent_app_credits k USING (customer_id)
        WHERE c.customer_id = $1 GROUP BY c.customer_id`,
      [customerId],
    );
    const row = rows[0];
    if (!row) throw ApplicationFailure.nonRetryable(`no customer "${customerId}"`, 'CustomerNotFound');
    return { customerId, name: row.name, tier: row.tier, creditedCents: Number(row.credited_cents) };
  },
});
