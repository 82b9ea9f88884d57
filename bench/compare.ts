/**
 * runPlan against the smallest hand-written workflow doing the same work (N no-op activities, same parallelism), on
 * one dev server and one worker, interleaved (A B A B ...) so drift hits both. Writes bench/RESULTS.md and
 * bench/ratios.svg. Not a test: it measures.
 *
 *   npm run bench -- compare [rounds=2] [maxConcurrency=64]    (640 adds 64 wide plans at once: ~20 more minutes)
 *   npm run bench -- peers [rounds=2] [maxConcurrency=64]      (the same, with DBOS Transact as a sixth variant)
 */
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startPlan } from '../src/api/plans';
import { startEphemeralStack } from '../src/dev/ephemeral-stack';
import { findTemporalBinary } from '../src/dev/temporal-binary';
import { createPool } from '../src/store/pool';
import { builtinRegistry } from '../src/tools';
import { createPlanWorker, planWorkflowInterceptorModules } from '../src/worker';
import { mirrorLags, percentile } from './lags';
import { dispatchMedians, type DispatchMedians } from './dispatch';
import { ratioChart } from './ratio-chart';
import { startDbosPeer, type DbosPeer } from './dbos-peer';

type Shape = 'wide' | 'chain';
type Variant = 'handwritten' | 'handwritten, local' | 'plan' | 'plan, no mirror' | 'plan, local' | 'DBOS';
interface Case {
  shape: Shape;
  n: number;
  parallel: number;
  concurrency: number;
}
interface Run {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  eventsPerStep: number;
  /** Server-side dispatch medians of the first workflow (scheduled → started). */
  dispatch: DispatchMedians;
  ids: string[];
}

const VARIANTS: Variant[] = ['handwritten', 'handwritten, local', 'plan', 'plan, no mirror', 'plan, local'];
/**
 * What each variant is measured against: plans of local steps against the same workflow with local activities, and
 * DBOS (steps in process, checkpointed to PostgreSQL) against the same.
 */
const BASELINE: Record<Variant, Variant> = {
  handwritten: 'handwritten',
  'handwritten, local': 'handwritten, local',
  plan: 'handwritten',
  'plan, no mirror': 'handwritten',
  'plan, local': 'handwritten, local',
  DBOS: 'handwritten, local',
};

export async function compare(args: string[], peers = false): Promise<string> {
  const variants: Variant[] = peers ? [...VARIANTS, 'DBOS'] : VARIANTS;
  const rounds = Number(args[0] ?? 2);
  const maxConcurrency = Number(args[1] ?? 64);
  const cases: Case[] = [
    // 64 wide plans are 64,000 activities: about 3.5 minutes per variant and round on 2 cores, so opt-in
    // (maxConcurrency 640).
    ...[1, 8, ...(maxConcurrency >= 640 ? [64] : [])].map((concurrency) => ({
      shape: 'wide' as const,
      n: 1000,
      parallel: 50,
      concurrency,
    })),
    ...[1, 8, 64].map((concurrency) => ({ shape: 'chain' as const, n: 200, parallel: 1, concurrency })),
  ].filter((c) => c.concurrency <= maxConcurrency);

  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await startEphemeralStack({ label: 'compare', log: (line) => process.stderr.write(`${line}\n`) });
  const pool = createPool(stack.databaseUrl);
  const dbos = peers ? await startDbosPeer(stack.databaseUrl) : null;
  const native = await NativeConnection.connect({ address: stack.temporalAddress });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const tools = builtinRegistry();
  const taskQueue = `compare-${randomUUID()}`;
  // Prebuilt, so bundling is never timed.
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    // What a plan worker runs: tracing's workflow side included (off, as here, its spans go nowhere).
    workflowInterceptorModules: planWorkflowInterceptorModules,
    logger: new DefaultLogger('WARN'),
  });
  const worker = await createPlanWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    tools,
    pool,
    workflowBundle: { code },
  });

  const results: Array<{ c: Case; runs: Record<Variant, Run[]>; lag: number[] }> = [];
  try {
    await worker.runUntil(async () => {
      for (const c of cases) {
        const runs = Object.fromEntries(variants.map((v) => [v, []])) as unknown as Record<Variant, Run[]>;
        for (let round = 0; round < rounds; round++) {
          for (const variant of variants) {
            process.stderr.write(`${c.shape} n=${c.n} x${c.concurrency} round ${round + 1}: ${variant}\n`);
            runs[variant].push(
              variant === 'DBOS' ? await measureDbos(dbos!, c) : await measure(client, taskQueue, tools, c, variant),
            );
          }
        }
        const lag = await mirrorLags(client, pool, runs.plan.at(-1)!.ids.slice(0, 4));
        results.push({ c, runs, lag });
      }
    });
  } finally {
    await dbos?.stop();
    await native.close();
    await connection.close();
    await pool.end();
    await stack.stop();
  }
  const report = render(results, rounds, variants, peers);
  // The written reading of the numbers is kept: it is edited by hand after each run.
  const file = join(__dirname, 'RESULTS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const reading = previous.indexOf(READING);
  writeFileSync(file, reading >= 0 ? `${report}\n${previous.slice(reading)}` : report);
  writeFileSync(join(__dirname, 'ratios.svg'), chart(results, variants));
  return report;
}

async function measure(
  client: Client,
  taskQueue: string,
  tools: ReturnType<typeof builtinRegistry>,
  c: Case,
  variant: Variant,
): Promise<Run> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const handles = await Promise.all(
    Array.from({ length: c.concurrency }, async () => {
      const id = `${variant.replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`;
      if (variant === 'handwritten' || variant === 'handwritten, local') {
        return client.workflow.start('handwrittenPlan', {
          workflowId: id,
          taskQueue,
          args: [c.n, c.parallel, c.shape, variant === 'handwritten, local'],
        });
      }
      const steps = Array.from({ length: c.n }, (_, i) => ({
        id: `s${i}`,
        toolName: 'noop',
        ...(variant === 'plan, local' ? { local: true } : {}),
        ...(c.shape === 'chain' && i > 0 ? { dependsOn: [`s${i - 1}`] } : {}),
      }));
      const options = {
        allowParallel: c.shape === 'wide',
        maxParallelSteps: c.parallel,
        mirror: variant !== 'plan, no mirror',
      };
      return startPlan(client, { id, options, steps }, { taskQueue, catalog: tools });
    }),
  );
  await Promise.all(handles.map((h) => h.result()));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  const history = await handles[0]!.fetchHistory();
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: peak / 2 ** 20,
    eventsPerStep: (history.events?.length ?? 0) / c.n,
    dispatch: dispatchMedians(history),
    ids: handles.map((h) => h.workflowId),
  };
}

/** DBOS runs the case in this process: wall time and CPU as for the others; it has no Temporal history. */
async function measureDbos(dbos: DbosPeer, c: Case): Promise<Run> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await dbos.run(c.n, c.parallel, c.shape, c.concurrency);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.memoryUsage().rss / 2 ** 20,
    eventsPerStep: NaN,
    dispatch: { workflowTaskMs: NaN, activityTaskMs: NaN },
    ids: [],
  };
}

/** The heading of the hand-written part of RESULTS.md, which a new run keeps. */
const READING = '## Reading it';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number, d = 2) => x.toFixed(d);
const label = (c: Case) => `${c.shape} ${c.n}${c.shape === 'wide' ? `/${c.parallel}` : ''} ×${c.concurrency}`;

/**
 * Ratio of a variant's wall time to its hand-written baseline, per round (rounds interleave, so each pair shares
 * conditions).
 */
function ratios(runs: Record<Variant, Run[]>, variant: Variant): number[] {
  return runs[variant].map((r, i) => r.wallMs / runs[BASELINE[variant]][i]!.wallMs);
}

function render(
  results: Array<{ c: Case; runs: Record<Variant, Run[]>; lag: number[] }>,
  rounds: number,
  variants: Variant[],
  peers: boolean,
): string {
  const temporal = findTemporalBinary();
  const version = temporal ? spawnSync(temporal, ['--version'], { encoding: 'utf8' }).stdout.trim() : 'unknown';
  const lines = [
    '# Benchmark: runPlan against a hand-written workflow',
    '',
    `Measured by \`npm run bench -- ${peers ? 'peers' : 'compare'} ${rounds}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${version}, @temporalio/* 1.24.0, one dev server (in memory) and one worker in this process, PostgreSQL on the same machine.`,
    `Each case runs the ${variants.length} variants interleaved, ${rounds} rounds; ratios are per round (variant ÷ hand-written in the same round): median [min–max].`,
    'CPU and peak RSS are of the process running client, worker and activities; events/step is the first workflow\'s history length ÷ steps; dispatch is the median time from a task scheduled to started in that history, workflow task / activity task (– when it has none); "plan, local" marks every step `local: true` (mirror on) and is measured against "handwritten, local", the same workflow with local activities.',
    '',
    '| case | variant | wall (median) | steps/s | ms per step | ratio to its hand-written baseline | events/step | dispatch ms (workflow / activity task) | CPU s | peak RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { c, runs } of results) {
    for (const variant of variants) {
      const rs = runs[variant];
      const wall = median(rs.map((r) => r.wallMs));
      const rt = ratios(runs, variant);
      lines.push(
        `| ${label(c)} | ${variant} | ${fmt(wall / 1000)} s | ${fmt((c.n * c.concurrency) / (wall / 1000), 0)} | ${fmt(wall / (c.n * c.concurrency))} | ` +
          `${BASELINE[variant] === variant ? '1' : `${fmt(median(rt))} [${fmt(Math.min(...rt))}–${fmt(Math.max(...rt))}]`} | ` +
          `${variant === 'DBOS' ? '–' : fmt(median(rs.map((r) => r.eventsPerStep)))} | ${dispatchCell(rs)} | ${fmt(median(rs.map((r) => r.cpuMs)) / 1000)} | ${fmt(Math.max(...rs.map((r) => r.peakRssMb)), 0)} |`,
      );
    }
  }
  lines.push(
    '',
    '## Mirror lag (step completed in history → task_plans row), plan variant, last round',
    '',
    '| case | p50 ms | p99 ms |',
    '| --- | --- | --- |',
  );
  for (const { c, lag } of results)
    lines.push(`| ${label(c)} | ${fmt(percentile(lag, 50), 0)} | ${fmt(percentile(lag, 99), 0)} |`);
  lines.push('', '![ratios](ratios.svg)', '');
  return lines.join('\n');
}

/** "2.1 / 1.8": the rounds' median dispatch times, workflow task then activity task. */
function dispatchCell(runs: Run[]): string {
  const cell = (xs: number[]) => (xs.every(Number.isNaN) ? '–' : fmt(median(xs.filter((x) => !Number.isNaN(x))), 1));
  return `${cell(runs.map((r) => r.dispatch.workflowTaskMs))} / ${cell(runs.map((r) => r.dispatch.activityTaskMs))}`;
}

/** The chart's bars: the median wall-time ratio of every variant that has a baseline other than itself. */
function chart(results: Array<{ c: Case; runs: Record<Variant, Run[]> }>, variants: Variant[]): string {
  return ratioChart(
    results.flatMap(({ c, runs }) =>
      variants
        .filter((v) => BASELINE[v] !== v)
        .map((v) => ({ label: `${label(c)} — ${v}`, ratio: median(ratios(runs, v)) })),
    ),
  );
}
