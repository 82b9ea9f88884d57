/**
 * The health of a plan worker (`plan worker --health-port`, PLAN_HEALTH_PORT): alive until its worker has failed;
 * ready while its worker runs, Temporal answers, and PostgreSQL answers `SELECT 1`.
 */
import { Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { startHealthServer, type HealthCheck, type HealthServer } from './health-server';

/** How long Temporal has to answer a readiness probe (the server's own timeout for every check is a little longer). */
const TEMPORAL_DEADLINE_MS = 1_500;

/** Where to serve: a port (none: no health endpoints) and the address to bind. */
export interface HealthSettings {
  port: number | null;
  host: string;
}

/**
 * Serves the worker's /healthz and /readyz when a port is configured (null otherwise). Served before the worker is
 * built (`worker()` is null until then: alive, not ready), so a port that cannot be bound stops the start before a
 * worker exists that would keep the process up.
 */
export async function serveWorkerHealth(
  settings: HealthSettings,
  { worker: current, connection, pool }: { worker: () => Worker | null; connection: NativeConnection; pool: Pool },
): Promise<HealthServer | null> {
  if (settings.port === null) return null;
  const alive: HealthCheck = {
    name: 'worker',
    run: async () => {
      if (current()?.getState() === 'FAILED') {
        throw new Error('the worker failed (its log says why); restart the process');
      }
    },
  };
  const polling: HealthCheck = {
    name: 'worker',
    run: async () => {
      const worker = current();
      if (worker === null) throw new Error('the worker is starting (bundling its workflows)');
      const { runState, workflowPollerState, activityPollerState } = worker.getStatus();
      if (runState !== 'RUNNING') throw new Error(`the worker is ${runState.toLowerCase()}, not running`);
      if (workflowPollerState !== 'POLLING' || activityPollerState !== 'POLLING') {
        throw new Error(
          `the worker's pollers are not polling (workflow ${workflowPollerState}, activity ${activityPollerState})`,
        );
      }
    },
  };
  const temporal: HealthCheck = {
    name: 'temporal',
    run: () =>
      connection.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () => connection.workflowService.getSystemInfo({})),
  };
  const postgresql: HealthCheck = { name: 'postgresql', run: () => pool.query('SELECT 1') };
  const server = await startHealthServer({
    ...settings,
    port: settings.port,
    live: [alive],
    ready: [polling, temporal, postgresql],
  });
  Runtime.instance().logger.info('health checks served', {
    url: `${server.url}/healthz`,
    ready: `${server.url}/readyz`,
  });
  return server;
}
