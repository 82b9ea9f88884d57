/**
 * Mirror lag: how long after a step completes in Temporal's history (ActivityTaskCompleted event time) its
 * task_plans row shows it (the row's updated_at, PostgreSQL's clock — same machine). Runs plans of short steps on a
 * throw-away stack and prints p50/p90/p99/max. A benchmark, not a test: nothing here passes or fails.
 *
 *   npm run bench -- mirror-lag [plans=20] [steps=25] [parallel=5]
 */
import { randomUUID } from 'node:crypto';
import { startPlan } from '../src/api/plans';
import { startBenchStack } from './bench-stack';
import { mirrorLags, percentile } from './lags';

export async function mirrorLag(args: string[]): Promise<string> {
  const [plans = 20, steps = 25, parallel = 5] = args.map(Number);
  const { client, pool, tools, taskQueue, worker, stop } = await startBenchStack('bench');
  const lags: number[] = [];
  try {
    await worker.runUntil(async () => {
      const handles = await Promise.all(
        Array.from({ length: plans }, (_, p) =>
          startPlan(
            client,
            {
              id: `lag-${p}-${randomUUID().slice(0, 6)}`,
              options: { allowParallel: true, maxParallelSteps: parallel },
              steps: Array.from({ length: steps }, (_, i) => ({
                id: `s${i}`,
                toolName: 'sleep',
                parameters: { ms: 20 + (i % 5) * 10 },
              })),
            },
            { taskQueue, catalog: tools },
          ),
        ),
      );
      for (const handle of handles) await handle.result();
      lags.push(
        ...(await mirrorLags(
          client,
          pool,
          handles.map((h) => h.workflowId),
        )),
      );
    });
  } finally {
    await stop();
  }
  lags.sort((a, b) => a - b);
  const pct = (p: number) => percentile(lags, p).toFixed(1);
  return [
    `mirror lag over ${lags.length} steps (${plans} plans x ${steps} steps, ${parallel} at once):`,
    `  p50 ${pct(50)} ms   p90 ${pct(90)} ms   p99 ${pct(99)} ms   max ${lags.at(-1)!.toFixed(1)} ms`,
  ].join('\n');
}
