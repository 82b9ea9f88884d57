import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { type PlanValidationError } from '../../src/api/plans';
import { startTestWorker, type TestWorker } from '../support/plan-worker';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

// The outside world: an HTTP server whose answer to each path is scripted by the test, request by request.
const seen: Seen[] = [];
const scripts = new Map<string, ((res: ServerResponse, req: Seen) => void)[]>();
let server: Server;
let base: string;
let closedPort: number;
let env: TestWorker;

const json =
  (status: number, value: unknown, headers: Record<string, string> = {}) =>
  (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
  };
const text = (status: number, body: string) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
};
const hang = () => undefined;

/** A fresh path answered by `answers` in order, the last one repeating. */
function route(...answers: ((res: ServerResponse, req: Seen) => void)[]): string {
  const path = `/${randomUUID()}`;
  scripts.set(path, answers);
  return path;
}
const requestsTo = (path: string) => seen.filter((r) => r.path === path);

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request: Seen = { method: req.method!, path: req.url!, headers: req.headers, body, at: Date.now() };
      seen.push(request);
      const answers = scripts.get(req.url!) ?? [text(404, 'no such route')];
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      answer(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closedPort = await freedPort();
  // Loopback is refused by default: the operator opens exactly the fake server, and the port no one listens on.
  env = await startTestWorker(undefined, {
    toolSettings: { http: { allow: [new URL(base).host, `127.0.0.1:${closedPort}`] } },
  });
});
afterAll(async () => {
  await env?.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function runStep(step: Record<string, unknown>) {
  const handle = await env.start({ steps: [{ id: 'call', toolName: 'http_request', retryDelayMs: 50, ...step }] });
  const state = await handle.result();
  return { planId: handle.workflowId, step: state.steps[0]! };
}

test('a JSON answer is parsed, a text answer is kept as text', async () => {
  const jsonPath = route(json(200, { hello: 'world' }, { 'x-answer': '42' }));
  const textPath = route(text(200, 'plain words'));
  const first = await runStep({ parameters: { url: `${base}${jsonPath}` } });
  expect(first.step).toMatchObject({ status: 'completed', attempts: 1 });
  expect(first.step.result).toMatchObject({
    status: 200,
    body: { hello: 'world' },
    truncated: false,
    headers: { 'x-answer': '42' },
  });
  const second = await runStep({ parameters: { url: `${base}${textPath}` } });
  expect(second.step.result).toMatchObject({ status: 200, body: 'plain words', truncated: false });
  // GET carries no idempotency key: it changes nothing.
  expect(requestsTo(jsonPath)[0]!.headers['idempotency-key']).toBeUndefined();
});

test('a 4xx answer fails at once, without retries', async () => {
  const path = route(json(404, { error: 'no such thing' }));
  const { step } = await runStep({ maxRetries: 3, parameters: { url: `${base}${path}` } });
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'HttpClientError' });
  expect(step.error).toContain('HTTP 404 Not Found from GET');
  expect(step.error).toContain('no such thing');
  expect(requestsTo(path)).toHaveLength(1);
});

test('a 5xx answer is retried; every attempt of a POST carries the same Idempotency-Key, <planId>:<stepId>', async () => {
  const path = route(text(500, 'down'), text(503, 'still down'), json(201, { created: true }));
  const { planId, step } = await runStep({
    maxRetries: 3,
    parameters: { method: 'POST', url: `${base}${path}`, body: { order: 7 } },
  });
  expect(step).toMatchObject({ status: 'completed', attempts: 3, result: { status: 201, body: { created: true } } });
  const requests = requestsTo(path);
  expect(requests.map((r) => r.headers['idempotency-key'])).toEqual([
    `${planId}:call`,
    `${planId}:call`,
    `${planId}:call`,
  ]);
  expect(requests[0]!.headers['content-type']).toBe('application/json');
  expect(JSON.parse(requests[0]!.body)).toEqual({ order: 7 });
});

test('5xx answers until the retries run out fail with HttpServerError', async () => {
  const path = route(text(502, 'bad gateway'));
  const { step } = await runStep({ maxRetries: 1, parameters: { url: `${base}${path}` } });
  expect(step).toMatchObject({ status: 'failed', attempts: 2, errorType: 'HttpServerError' });
  expect(requestsTo(path)).toHaveLength(2);
});

test("429 is retried after the Retry-After the server asks for, not the plan's shorter delay", async () => {
  const path = route(json(429, { error: 'slow down' }, { 'retry-after': '1' }), json(200, { ok: true }));
  const { step } = await runStep({ maxRetries: 2, parameters: { url: `${base}${path}` } });
  expect(step).toMatchObject({ status: 'completed', attempts: 2 });
  const [first, second] = requestsTo(path);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
});

test('a step may set its own Idempotency-Key', async () => {
  const path = route(json(200, {}));
  await runStep({
    parameters: { method: 'PUT', url: `${base}${path}`, body: 'raw', headers: { 'Idempotency-Key': 'mine' } },
  });
  expect(requestsTo(path)[0]!.headers['idempotency-key']).toBe('mine');
  expect(requestsTo(path)[0]!.body).toBe('raw');
});

test('a body longer than maxResponseBytes is cut and says so', async () => {
  const path = route(json(200, { data: 'x'.repeat(100) }));
  const { step } = await runStep({ parameters: { url: `${base}${path}`, maxResponseBytes: 10 } });
  expect(step.result).toMatchObject({ status: 200, body: '{"data":"x', truncated: true });
});

test('a server that does not answer in timeoutMs fails with HttpNetworkError, and so does one past the step timeout', async () => {
  const path = route(hang);
  const own = await runStep({ parameters: { url: `${base}${path}`, timeoutMs: 300 } });
  expect(own.step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'HttpNetworkError' });
  expect(own.step.error).toContain('within 300 ms');
  // Without timeoutMs the tool stops just before the step's own timeout, so each attempt fails with its own type.
  const step = await runStep({ maxRetries: 1, timeoutMs: 1000, parameters: { url: `${base}${path}` } });
  expect(step.step).toMatchObject({ status: 'failed', attempts: 2, errorType: 'HttpNetworkError' });
});

/** A port that was just free on 127.0.0.1: connecting to it is refused. */
async function freedPort(): Promise<number> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  return port;
}

test('a refused connection is a retried HttpNetworkError', async () => {
  const { step } = await runStep({ maxRetries: 1, parameters: { url: `http://127.0.0.1:${closedPort}/` } });
  expect(step).toMatchObject({ status: 'failed', attempts: 2, errorType: 'HttpNetworkError' });
  expect(step.error).toContain('ECONNREFUSED');
});

test('secret headers are sent but never appear in results or errors, even when the server echoes them', async () => {
  const secret = 'Bearer sk-very-secret-token';
  const echo = (status: number) => (res: ServerResponse, req: Seen) =>
    json(status, { youSent: req.headers.authorization })(res);
  const okPath = route(echo(200));
  const ok = await runStep({ parameters: { url: `${base}${okPath}`, secretHeaders: { Authorization: secret } } });
  expect(requestsTo(okPath)[0]!.headers.authorization).toBe(secret);
  expect(ok.step.result).toMatchObject({ body: { youSent: '[redacted]' } });
  expect(JSON.stringify(ok.step)).not.toContain('sk-very-secret-token');

  const refusedPath = route(echo(403));
  const refused = await runStep({
    parameters: { url: `${base}${refusedPath}`, secretHeaders: { Authorization: secret } },
  });
  expect(refused.step).toMatchObject({ status: 'failed', errorType: 'HttpClientError' });
  expect(refused.step.error).toContain('[redacted]');
  expect(JSON.stringify(refused.step)).not.toContain('sk-very-secret-token');
});

test('parameters that cannot make a request are refused before anything is sent', async () => {
  // By the client, from the schema...
  const refusal = await runStep({ parameters: { url: 'https://user:pw@example.com/' } }).catch(
    (err: PlanValidationError) => err,
  );
  expect((refusal as PlanValidationError).problems.map((p) => p.message)).toEqual([
    expect.stringContaining('credentials do not belong in the URL'),
  ]);
  // ...and by the tool, for what only sending finds out.
  const path = route(json(200, {}));
  const { step } = await runStep({
    maxRetries: 2,
    parameters: { url: `${base}${path}`, headers: { 'X-Bad': 'a\nb' } },
  });
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'InvalidParameters' });
  expect(step.error).toContain('invalid HTTP header among X-Bad');
  expect(requestsTo(path)).toHaveLength(0);
});
