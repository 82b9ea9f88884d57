// Starts a plan from TypeScript and waits for its end: `npm run build && npm run credit -- c-200 2500`.
// The same tools as the configuration file, so the plan is checked here before it is sent.
import { connectClient, startPlan, toolCatalogue, type PlanSnapshot } from 'durable-plans';
import config from '../durable-plans.config';

async function main(customerId: string, amountCents: number): Promise<PlanSnapshot> {
  const client = await connectClient();
  try {
    const handle = await startPlan(
      client,
      {
        description: `Credit ${customerId}`,
        steps: [
          { id: 'lookup', toolName: 'customer_lookup', parameters: { customerId } },
          {
            id: 'credit',
            toolName: 'credit_account',
            dependsOn: ['lookup'],
            parameters: {
              customerId,
              amountCents,
              reason: 'goodwill',
              paymentsToken: process.env.PAYMENTS_TOKEN ?? 'pay_test_4f1d2c3b',
            },
          },
        ],
      },
      { taskQueue: process.env.PLAN_TASK_QUEUE ?? 'plans', catalog: toolCatalogue(config.tools) },
    );
    return await handle.result();
  } finally {
    await client.connection.close();
  }
}

main(process.argv[2] ?? 'c-200', Number(process.argv[3] ?? 2500)).then(
  (state) => {
    console.log(JSON.stringify(state));
    process.exitCode = state.status === 'completed' ? 0 : 1;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);
