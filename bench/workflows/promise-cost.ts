/**
 * A minimal reproduction of what a promise costs inside a workflow: one workflow task that awaits `count`
 * already-resolved promises, and nothing else. The SDK's promise hook captures a source-mapped stack trace for each
 * (temporalio/sdk-typescript#1587); `npm run bench -- promises` compares the time with plain Node.
 */
export async function awaitPromises(count: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += await Promise.resolve(1);
  return sum;
}
