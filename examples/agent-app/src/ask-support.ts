// Talks to a support agent from TypeScript, printing its answer token by token as the model writes it:
// `npm run build && npm run ask -- c-100 "What tier is this customer?"`. The worker needs a model server
// (OPENAI_BASE_URL and PLAN_LLM_MODEL, or OPENAI_API_KEY); the agent may look customers up with the app's own tool.
import {
  connectClient,
  createPool,
  sendToAgent,
  startAgent,
  subscribeAgent,
  terminateAgent,
  toolCatalogue,
  waitForReply,
} from 'durable-plans';
import config from '../durable-plans.config';

async function main(customerId: string, question: string): Promise<void> {
  const client = await connectClient();
  const pool = createPool(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const agentId = `support-${customerId}-${Date.now()}`;
  try {
    await startAgent(
      client,
      agentId,
      { system: `You answer questions about customer ${customerId}.`, tools: ['customer_lookup'] },
      { taskQueue: process.env.PLAN_TASK_QUEUE ?? 'plans', catalog: toolCatalogue(config.tools) },
    );
    const stop = new AbortController();
    // Subscribed before sending, so not a token is missed.
    const printing = (async () => {
      for await (const event of subscribeAgent(pool, agentId, { signal: stop.signal }))
        if (event.type === 'token') process.stdout.write(event.text);
    })();
    const { ackId } = await sendToAgent(client, agentId, question, { from: 'ask-support' });
    const reply = await waitForReply(pool, agentId, ackId, AbortSignal.timeout(120_000));
    stop.abort();
    await printing;
    process.stdout.write(`\n--- reply: ${reply}\n`);
  } finally {
    await terminateAgent(client, agentId, { by: 'ask-support', reason: 'question answered' }).catch(() => undefined);
    await pool.end();
    await client.connection.close();
  }
}

main(process.argv[2] ?? 'c-100', process.argv[3] ?? 'What tier is this customer?').catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
