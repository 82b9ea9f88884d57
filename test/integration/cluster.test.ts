/**
 * The engine on a real Temporal cluster: the release's server with frontend, history, matching and worker as separate
 * processes on PostgreSQL (what `npm run cluster` starts), `plan setup` on its bare namespace, and two `plan worker`
 * processes running a project's tool. One worker is SIGKILLed inside a step and the history service is restarted
 * while plans run: every plan completes, and each step's side effect is recorded once under its idempotency key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { startPlan } from '../../src/api/plans';
import { toolCatalogue } from '../../src/config';
import { startCluster, type Cluster } from '../../src/dev/cluster';
import { CLUSTER_SERVICES } from '../../src/dev/cluster-config';
import { dropClusterDatabases } from '../../src/dev/cluster-databases';
import { freePort } from '../../src/dev/free-port';
import { ensureTemporalServerBinaries, type TemporalServerBinaries } from '../../src/dev/temporal-server-binary';
import { createPool } from '../../src/store/pool';
import clusterConfig from '../fixtures/cluster/durable-plans.config';
import { runNode, type RunningChild } from '../support/child';
import { cli } from '../support/cli';
import { eventually } from '../support/eventually';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(180_000);

const CONFIG_FILE = join(__dirname, '..', 'fixtures', 'cluster', 'durable-plans.config.ts');
const PLANS = 4;
const STEPS = 6;
const STEP_MS = 1_000;

const run = `${process.pid}_${Date.now()}`;
const databases = { temporal: `dp_cluster_${run}`, visibility: `dp_cluster_visibility_${run}` };
const effects = `cluster_effects_${run}`;
const attempts = `${effects}_attempts`;
const say = (line: string) => process.stderr.write(`[cluster test] ${line}\n`);
const lastLines = (child: RunningChild) => child.output().trimEnd().split('\n').slice(-8).join('\n');

let binaries: TemporalServerBinaries;
let cluster: Cluster | undefined;
let client: Client | undefined;
let pool: Pool | undefined;
let dataDir: string | undefined;
const workers: RunningChild[] = [];
/** Services that exited on their own, with the end of their logs. */
const exits: string[] = [];

beforeAll(async () => {
  // Built into the per-user cache the first time on a machine (it says so): minutes, hence the long timeout.
  binaries = await ensureTemporalServerBinaries(say);
}, 20 * 60_000);

afterAll(async () => {
  const attempt = (what: string, work: () => Promise<unknown>) =>
    work().catch((err: Error) => say(`cleaning up ${what}: ${err.message}`));
  for (const worker of workers) {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) continue;
    worker.child.kill('SIGKILL');
    await worker.exited;
  }
  await attempt('the client', async () => client?.connection.close());
  await attempt('the cluster', async () => cluster?.stop());
  await attempt('the tables', async () => pool?.query(`DROP TABLE IF EXISTS ${effects}, ${attempts}`));
  await attempt('the pool', async () => pool?.end());
  await attempt('the databases', () => dropClusterDatabases(testStack().databaseUrl, databases));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

test('plans on a cluster of separate server processes complete through a killed worker and a restarted history service, each side effect once', async () => {
  const { databaseUrl } = testStack();
  const db = createPool(databaseUrl);
  pool = db;
  await db.query(
    `CREATE TABLE ${effects} (idempotency_key text PRIMARY KEY, attempt int NOT NULL, pid int NOT NULL, repeats int NOT NULL DEFAULT 0)`,
  );
  await db.query(`CREATE TABLE ${attempts} (idempotency_key text NOT NULL, attempt int NOT NULL, pid int NOT NULL)`);

  dataDir = mkdtempSync(join(tmpdir(), 'dp-cluster-'));
  const started = await startCluster({
    binaries,
    databaseUrl,
    databases,
    dataDir,
    frontendPort: await freePort(),
    namespace: 'default',
    log: say,
    onServiceExit: (_, report) => exits.push(report),
  });
  cluster = started;
  const pids = CLUSTER_SERVICES.map((service) => started.services[service].pid());
  expect(new Set(pids).size).toBe(CLUSTER_SERVICES.length);

  // The namespace is bare: `plan setup` registers what plans need, as a user would against any cluster.
  const taskQueue = uniqueId('cluster');
  const env = { TEMPORAL_ADDRESS: started.address, PLAN_TASK_QUEUE: taskQueue };
  const setup = await cli(['setup'], { env, timeoutMs: 90_000 });
  expect(setup.code).toBe(0);
  expect(setup.stdout).toContain('registered search attributes PlanStatus, PlanPendingApproval on namespace default');

  for (let i = 0; i < 2; i++) {
    workers.push(
      runNode(['scripts/plan.js', 'worker', '--config', CONFIG_FILE], { ...env, DATABASE_URL: databaseUrl }),
    );
  }
  await Promise.all(workers.map((worker) => worker.waitFor(/worker polling task queue/, 120_000)));
  const [victim, survivor] = workers as [RunningChild, RunningChild];

  client = new Client({ connection: await Connection.connect({ address: started.address }) });
  const steps = Array.from({ length: STEPS }, (_, s) => ({
    id: `s${s}`,
    toolName: 'record_effect',
    parameters: { table: effects, ms: STEP_MS },
    dependsOn: s === 0 ? [] : [`s${s - 1}`],
    timeoutMs: 30_000,
    maxRetries: 10,
    retryDelayMs: 200,
  }));
  const catalog = toolCatalogue(clusterConfig.tools);
  const handles = await Promise.all(
    Array.from({ length: PLANS }, (_, p) =>
      startPlan(client!, { id: uniqueId(`cluster-${p}`), steps }, { taskQueue, catalog }),
    ),
  );

  // SIGKILL one worker while it is inside a step: its attempt is logged, its effect not recorded yet.
  const inFlightOnVictim = async () =>
    (
      await db.query<{ idempotency_key: string }>(
        `SELECT idempotency_key FROM ${attempts} a WHERE pid = $1
         AND NOT EXISTS (SELECT 1 FROM ${effects} e WHERE e.idempotency_key = a.idempotency_key)`,
        [victim.child.pid],
      )
    ).rows.map((row) => row.idempotency_key);
  await eventually(
    async () => (await inFlightOnVictim()).length > 0,
    () => `a step running on the first worker; the workers said:\n${workers.map(lastLines).join('\n---\n')}`,
    { timeoutMs: 60_000, everyMs: 100 },
  );
  victim.child.kill('SIGKILL');
  await victim.exited;
  const interrupted = await inFlightOnVictim();
  expect(interrupted.length).toBeGreaterThan(0);

  // Restart history mid-plan: once another step has completed since the kill, with steps still to run.
  const recorded = async () => Number((await db.query(`SELECT count(*) AS n FROM ${effects}`)).rows[0].n);
  const atKill = await recorded();
  await eventually(async () => (await recorded()) > atKill, 'a step to complete after the kill', {
    timeoutMs: 60_000,
    everyMs: 100,
  });
  expect(await recorded()).toBeLessThan(PLANS * STEPS);
  await started.restart('history');
  say(`restarted history (pid ${started.services.history.pid()}) with ${await recorded()} of ${PLANS * STEPS} effects`);

  const states = await Promise.all(handles.map((handle) => handle.result()));
  expect(states.map((state) => state.status)).toEqual(Array(PLANS).fill('completed'));

  // One effect per step, under its idempotency key; the steps the kill interrupted were tried again elsewhere.
  const expectedKeys = handles.flatMap((handle) => steps.map((step) => `${handle.workflowId}:${step.id}`)).sort();
  const rows = (
    await db.query<{ idempotency_key: string; pid: number; repeats: number }>(
      `SELECT idempotency_key, pid, repeats FROM ${effects}`,
    )
  ).rows;
  expect(rows.map((row) => row.idempotency_key).sort()).toEqual(expectedKeys);
  const tries = new Map(
    (
      await db.query<{ idempotency_key: string; n: number }>(
        `SELECT idempotency_key, count(*)::int AS n FROM ${attempts} GROUP BY idempotency_key`,
      )
    ).rows.map((row) => [row.idempotency_key, row.n]),
  );
  for (const key of interrupted) {
    expect(tries.get(key)).toBeGreaterThanOrEqual(2);
    expect(rows.find((row) => row.idempotency_key === key)).toMatchObject({ pid: survivor.child.pid });
  }
  const retried = [...tries].filter(([, n]) => n > 1);
  say(
    `${rows.length} effects; ${retried.length} steps ran more than once (${retried.map(([key, n]) => `${key} ×${n}`).join(', ')}); ` +
      `${interrupted.length} interrupted by the kill; ${rows.filter((row) => row.repeats > 0).length} effects written again by a later attempt`,
  );
  expect(exits).toEqual([]);
});
