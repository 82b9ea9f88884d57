/**
 * A worker's health as an orchestrator probes it: `plan worker --health-port` answers /healthz while it lives, and
 * /readyz only while it polls and reaches Temporal and PostgreSQL — a database taken away (for real, behind a TCP
 * proxy) turns it unready, naming PostgreSQL and why, and ready again once the database is back.
 */
import { createServer, type AddressInfo } from 'node:net';
import { freePort } from '../../src/dev/free-port';
import { runNode, type RunningChild } from '../support/child';
import { eventually } from '../support/eventually';
import { uniqueId } from '../support/plan-worker';
import { TcpProxy } from '../support/tcp-proxy';
import { testStack } from '../support/test-stack';

let worker: RunningChild;
let proxy: TcpProxy;
let healthUrl: string;

beforeAll(async () => {
  const { temporalAddress, databaseUrl } = testStack();
  const target = new URL(databaseUrl);
  proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.restore();
  const viaProxy = new URL(databaseUrl);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const port = await freePort();
  healthUrl = `http://127.0.0.1:${port}`;
  worker = runNode(['scripts/plan.js', 'worker', '--health-port', String(port)], {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: viaProxy.toString(),
    PLAN_TASK_QUEUE: uniqueId('health'),
  });
  await worker.waitFor(/worker polling task queue/);
});

afterAll(async () => {
  await proxy.restore().catch(() => undefined); // so the worker can close its connections
  worker.child.kill('SIGTERM');
  await worker.exited;
  await proxy.cut();
});

async function probe(path: '/healthz' | '/readyz'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${healthUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Waits until `path` answers `status`; returns that answer. */
async function until(path: '/healthz' | '/readyz', status: number): Promise<Record<string, unknown>> {
  let last: { status: number; body: unknown } | null = null;
  await eventually(
    async () => (last = await probe(path)).status === status,
    () => `${path} to answer ${status}; last: ${JSON.stringify(last)}\n${worker.output()}`,
    { timeoutMs: 20_000, everyMs: 200 },
  );
  return last!.body as Record<string, unknown>;
}

test('/readyz turns 503 naming PostgreSQL while the database is away, 200 again once it is back; /healthz stays 200', async () => {
  expect(await until('/readyz', 200)).toEqual({
    status: 'pass',
    checks: { worker: { status: 'pass' }, temporal: { status: 'pass' }, postgresql: { status: 'pass' } },
  });
  expect(await probe('/healthz')).toEqual({
    status: 200,
    body: { status: 'pass', checks: { worker: { status: 'pass' } } },
  });

  await proxy.cut();
  const unready = await until('/readyz', 503);
  expect(unready).toMatchObject({
    status: 'fail',
    checks: {
      worker: { status: 'pass' },
      temporal: { status: 'pass' },
      // Refused, or cut off under a probe's query (the proxy drops the connections it had).
      postgresql: { status: 'fail', error: expect.stringMatching(/ECONNREFUSED|Connection terminated/) },
    },
  });
  expect((await probe('/healthz')).status).toBe(200);

  await proxy.restore();
  await until('/readyz', 200);
  expect((await probe('/healthz')).status).toBe(200);
}, 60_000);

test('anything but the two endpoints is a 404 naming them', async () => {
  const response = await fetch(`${healthUrl}/metrics`);
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ error: expect.stringContaining('/healthz and /readyz') });
});

test('a health port already taken stops the start with what is wrong, and the process exits', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
  try {
    const port = (taken.address() as AddressInfo).port;
    const refused = runNode(['scripts/plan.js', 'worker', '--health-port', String(port)], {
      TEMPORAL_ADDRESS: testStack().temporalAddress,
      DATABASE_URL: testStack().databaseUrl,
      PLAN_TASK_QUEUE: uniqueId('health-taken'),
    });
    // Exits on its own: nothing it opened (a built worker, pools, connections) keeps it alive.
    expect(await refused.exited).toEqual({ code: 1, signal: null });
    expect(refused.output()).toContain(`cannot serve health checks on 0.0.0.0:${port}: listen EADDRINUSE`);
  } finally {
    taken.close();
  }
}, 60_000);
