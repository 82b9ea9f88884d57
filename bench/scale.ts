/**
 * Scale: a wide plan of 10,000 steps (100 at once), a chain of 2,000 steps, and 200 plans running at once, on one
 * worker and a dev server with Temporal's default limits. Reports wall time, how many runs each plan took
 * (continue-as-new), the longest history of any run, and whether the mirror ended complete. Writes bench/SCALE.md.
 *
 *   npm run bench -- scale [wide=10000] [chain=2000] [plans=200]
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { startPlan } from '../src/api/plans';
import type { PlanSnapshot } from '../src/plan';
import { startBenchStack, type BenchStack } from './bench-stack';

interface Outcome {
  name: string;
  plans: number;
  steps: number;
  wallMs: number;
  completed: number;
  runs: number;
  longestHistory: number;
  mirrored: boolean;
}

export async function scale(args: string[]): Promise<string> {
  const [wide = 10_000, chain = 2_000, plans = 200] = args.map(Number);
  const bench = await startBenchStack('scale');
  const outcomes: Outcome[] = [];
  try {
    await bench.worker.runUntil(async () => {
      outcomes.push(
        await measure(bench, `wide ${wide}, 100 at once`, [
          {
            options: { allowParallel: true, maxParallelSteps: 100 },
            steps: Array.from({ length: wide }, (_, i) => ({ id: `s${i}`, toolName: 'noop' })),
          },
        ]),
      );
      outcomes.push(
        await measure(bench, `chain ${chain}`, [
          {
            steps: Array.from({ length: chain }, (_, i) => ({
              id: `s${i}`,
              toolName: 'noop',
              ...(i > 0 ? { dependsOn: [`s${i - 1}`] } : {}),
            })),
          },
        ]),
      );
      // Every plan first sleeps, so all of them are running at the same time before their other steps go.
      const small = {
        options: { allowParallel: true, maxParallelSteps: 4 },
        steps: [
          { id: 'wait', toolName: 'sleep', parameters: { ms: 3000 } },
          ...Array.from({ length: 8 }, (_, i) => ({
            id: `s${i}`,
            toolName: 'echo',
            parameters: { i },
            dependsOn: ['wait'],
          })),
        ],
      };
      outcomes.push(
        await measure(
          bench,
          `${plans} plans at once, 9 steps each`,
          Array.from({ length: plans }, () => small),
        ),
      );
    });
  } finally {
    await bench.stop();
  }
  const report = render(outcomes);
  writeFileSync(join(__dirname, 'SCALE.md'), report);
  return report;
}

async function measure(bench: BenchStack, name: string, plans: Record<string, unknown>[]): Promise<Outcome> {
  process.stderr.write(`${name}…\n`);
  const t0 = performance.now();
  const handles = await Promise.all(
    plans.map((plan, i) =>
      startPlan(
        bench.client,
        { id: `scale-${name.replace(/\W+/g, '-')}-${i}-${Date.now()}`, ...plan },
        { taskQueue: bench.taskQueue, catalog: bench.tools },
      ),
    ),
  );
  const states: PlanSnapshot[] = await Promise.all(handles.map((h) => h.result()));
  const wallMs = performance.now() - t0;
  let runs = 0;
  let longestHistory = 0;
  for (const handle of handles) {
    const all = await runsOf(bench.client, handle.workflowId, (await handle.describe()).runId);
    runs += all.length;
    longestHistory = Math.max(longestHistory, ...all.map((r) => r.historyLength));
  }
  const { rows } = await bench.pool.query(
    `SELECT count(*)::int AS n FROM plan_progress WHERE plan_id = ANY($1) AND status = 'completed' AND completed_steps = total_steps`,
    [handles.map((h) => h.workflowId)],
  );
  return {
    name,
    plans: plans.length,
    steps: states.reduce((sum, s) => sum + s.summary.total, 0),
    wallMs,
    completed: states.filter((s) => s.status === 'completed').length,
    runs,
    longestHistory,
    mirrored: rows[0].n === plans.length,
  };
}

/** Every run of a workflow id, once visibility lists the last one. */
async function runsOf(client: Client, workflowId: string, lastRunId: string) {
  for (;;) {
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(run);
    if (runs.some((r) => r.runId === lastRunId && r.status.name !== 'RUNNING')) return runs;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function render(outcomes: Outcome[]): string {
  return [
    '# Scale',
    '',
    `Measured by \`npm run bench -- scale\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, one dev server with Temporal's default limits (continue-as-new suggested at 4,096 events ` +
      'or 4 MB, history refused at 51,200 events or 50 MB), one worker, mirror on.',
    '',
    '| case | plans completed | steps | wall | steps/s | runs (continue-as-new) | longest history of a run (events) | mirror complete |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...outcomes.map(
      (o) =>
        `| ${o.name} | ${o.completed}/${o.plans} | ${o.steps} | ${(o.wallMs / 1000).toFixed(1)} s | ${(o.steps / (o.wallMs / 1000)).toFixed(0)} | ` +
        `${o.runs} | ${o.longestHistory} | ${o.mirrored ? 'yes' : 'no'} |`,
    ),
    '',
  ].join('\n');
}
