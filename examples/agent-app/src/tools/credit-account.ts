import { ApplicationFailure, defineTool } from 'durable-plans';
import { z } from 'zod';
import { database } from './database';

/**
 * Credits a customer's account through the (pretend) payments service, whose token is a secret parameter: it never
 * shows in results, errors or the PostgreSQL mirror. Writing once per step is the idempotency key's job; the undo
 * removes the credit when the plan fails later on.
 */
export const creditAccount = defineTool({
  name: 'credit_account',
  description: 'Credits a customer a positive amount in cents, with a reason; undone by removing the credit.',
  parameters: z.object({
    customerId: z.string().regex(/^c-\d+$/, 'a customer id looks like c-100'),
    amountCents: z.number().int().positive().max(100_000),
    reason: z.string().min(3),
    paymentsToken: z.string().min(8),
  }),
  secretParams: ['paymentsToken'],
  risk: 'write',
  run: async ({ customerId, amountCents, reason, paymentsToken }, context) => {
    if (!paymentsToken.startsWith('pay_')) {
      throw ApplicationFailure.nonRetryable(`the payments service refused token ${paymentsToken}`, 'PaymentsAuthError');
    }
    const db = await database(context);
    // A retried attempt (the worker died after the insert) finds its row and reports the same credit.
    await db.query(
      `INSERT INTO agent_app_credits (credit_id, customer_id, amount_cents, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (credit_id) DO NOTHING`,
      [context.idempotencyKey, customerId, amountCents, reason],
    );
    // Temporal's activity logger: the line carries the plan (workflow) and step (activity) ids.
    context.logger.info('credited', { customerId, amountCents });
    return { creditId: context.idempotencyKey, customerId, amountCents };
  },
  undo: {
    description: 'Removes the credit the step made.',
    run: async ({ result }, context) => {
      const { creditId } = result as { creditId: string };
      const db = await database(context);
      const removed = await db.query('DELETE FROM agent_app_credits WHERE credit_id = $1', [creditId]);
      return { removed: removed.rowCount ?? 0 };
    },
  },
});
