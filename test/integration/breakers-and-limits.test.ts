/**
 * Circuit breakers and call limits as plans meet them, against a local HTTP service: bad input does not count; the
 * breaker opens after its failures, then fails steps fast (a pausing plan pauses), half-opens after the cool-down
 * and closes on the probe's success; and a per-host limit holds across two workers.
 */
import { createServer, type Server } from 'node:http';
import { checkCoordination } from '../../src/config';
import type { BreakerRow } from '../../src/store/circuit-breakers';
import { cli, cliUntil } from '../support/cli';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { waitForState } from '../support/wait-for-state';

jest.setTimeout(90_000);

/** 503 while `down`, 404 for /missing, else 200 after `delayMs`; records when each request ran. */
class Service {
  down = false;
  delayMs = 0;
  readonly calls: Array<{ path: string; start: number; end: number }> = [];
  private server: Server | null = null;
  private inFlight = 0;
  maxInFlight = 0;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const start = Date.now();
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      setTimeout(() => {
        this.inFlight--;
        this.calls.push({ path: req.url ?? '', start, end: Date.now() });
        const status = req.url === '/missing' ? 404 : this.down ? 503 : 200;
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      }, this.delayMs);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const service = new Service();
const workers: TestWorker[] = [];

beforeAll(async () => {
  await service.start();
});

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await service.stop();
});

async function worker(config: { breakers?: unknown; limits?: unknown }, taskQueue?: string): Promise<TestWorker> {
  const started = await startTestWorker(undefined, {
    toolSettings: { http: { allow: [`127.0.0.1:${service.port}`] } },
    coordination: checkCoordination(config.breakers, config.limits),
    taskQueue,
  });
  workers.push(started);
  return started;
}

const get = (path: string, more: Record<string, unknown> = {}) => ({
  steps: [
    { id: 'call', toolName: 'http_request', parameters: { url: `http://127.0.0.1:${service.port}${path}` }, ...more },
  ],
});

async function breakerOf(key: string): Promise<BreakerRow | undefined> {
  const { stdout, code } = await cli(['breakers', '--json']);
  expect(code).toBe(0);
  return (JSON.parse(stdout) as BreakerRow[]).find((row) => row.key === key);
}

test('a breaker opens on failures, fails fast, half-opens after its cool-down and closes when the service recovers', async () => {
  const env = await worker({ breakers: { http_request: { failures: 2, windowSeconds: 60, coolDownSeconds: 5 } } });
  const key = `http_request 127.0.0.1:${service.port}`;
  // Bad input — the service's 404s — says nothing about the service's health.
  for (let i = 0; i < 3; i++) expect((await (await env.start(get('/missing'))).result()).status).toBe('failed');
  expect(await breakerOf(key)).toBeUndefined();

  service.down = true;
  for (let i = 0; i < 2; i++) {
    const state = await (await env.start(get('/orders'))).result();
    expect(state.steps[0]!.errorType).toBe('HttpServerError');
  }
  expect(await breakerOf(key)).toMatchObject({ state: 'open', failures: 2, tool: 'http_request' });

  const callsWhenOpened = service.calls.length;
  const fast = await (await env.start(get('/orders'))).result();
  expect(fast.steps[0]).toMatchObject({ errorType: 'CircuitOpen', attempts: 1 });
  expect(fast.steps[0]!.error).toMatch(/circuit open for http_request 127\.0\.0\.1:\d+ after 2 failures .*HTTP 503/);
  // A plan that pauses on failure pauses on the open breaker instead of retrying into it.
  const pausing = await env.start({ options: { onFailure: 'pause' }, ...get('/orders', { maxRetries: 5 }) });
  const paused = await waitForState(pausing, (s) => s.status === 'paused');
  expect(paused.steps[0]).toMatchObject({ errorType: 'CircuitOpen', attempts: 1 });
  await pausing.terminate('seen');
  expect(service.calls.length).toBe(callsWhenOpened);

  // A step that retries keeps meeting the breaker while the service is down: it waits out each cool-down (plan
  // status says so), and only one probe per cool-down reaches the service.
  const retrying = await env.start(get('/orders', { maxRetries: 20, retryDelayMs: 100 }));
  const status = await cliUntil(
    () => cli(['status', retrying.workflowId]),
    (result) => result.stdout.includes('Step call waits for a circuit breaker: circuit open for http_request'),
    { attempts: 40, everyMs: 250 },
  );
  expect(status.stdout).toMatch(/Step call waits for a circuit breaker: .*\(next attempt at \d{4}-/);
  // Recovered: the next probe succeeds and closes the breaker.
  service.down = false;
  const recovering = await retrying.result();
  expect(recovering.status).toBe('completed');
  const reached = service.calls.length - callsWhenOpened;
  expect(reached).toBeGreaterThanOrEqual(1);
  expect(recovering.steps[0]!.attempts).toBeGreaterThan(reached);
  expect(await breakerOf(key)).toMatchObject({ state: 'closed', failures: 0 });
});

test('a per-host limit holds across two workers, and a waiting call says so', async () => {
  const limits = { http_request: { perSecond: 5, concurrency: 2, key: 'host {{parameters.url.host}}' } };
  const [one, two] = [await worker({ limits }, uniqueId('limits-a')), await worker({ limits }, uniqueId('limits-b'))];
  service.down = false;
  service.delayMs = 100;
  const path = `/limited-${uniqueId('run')}`;
  const plan = {
    options: { allowParallel: true, maxParallelSteps: 10 },
    steps: Array.from({ length: 10 }, (_, i) => ({
      id: `call-${i}`,
      toolName: 'http_request',
      parameters: { url: `http://127.0.0.1:${service.port}${path}` },
    })),
  };
  service.maxInFlight = 0;
  const plans = [await one!.start(plan), await two!.start(plan)];
  // While calls wait, their pending activities say what for (heartbeat details, shown by Temporal Web), and so does
  // `plan status`.
  const status = await cliUntil(
    () => cli(['status', plans[0]!.workflowId]),
    (result) => /waits for its turn under limit "host 127\.0\.0\.1:\d+" \(\d running\)/.test(result.stdout),
    { attempts: 10, everyMs: 100 },
  );
  const sawWaiting = /waits for its turn under limit/.test(status.stdout);
  expect(sawWaiting).toBe(true);
  const results = await Promise.all(plans.map((p) => p.result()));
  expect(results.map((r) => r.status)).toEqual(['completed', 'completed']);

  const starts = service.calls
    .filter((c) => c.path === path)
    .map((c) => c.start)
    .sort((a, b) => a - b);
  expect(starts).toHaveLength(20);
  expect(service.maxInFlight).toBeLessThanOrEqual(2);
  // Five a second: 20 calls span at least 19 × 200 ms (less a little for the network between worker and service;
  // without the limit, two at a time of 100 ms each would take one second), and no second holds more than 5 + 1.
  expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(3_600);
  const busiest = Math.max(...starts.map((at) => starts.filter((other) => other >= at && other < at + 1_000).length));
  expect(busiest).toBeLessThanOrEqual(6);
});
