import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { getPlanProgress, getTaskPlansByPlan } from '../../src/store/mirror-reads';
import { startTestWorker, type TestWorker } from '../support/plan-worker';

// What an agent's plan must not do with http_request: reach the worker's own machine or network, carry credentials
// to another origin, or get pieces of a secret back. Three local servers: `open` and `other` are allowed by the
// worker's PLAN_HTTP_ALLOW (two origins), `internal` is not and stands for everything behind the worker.

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}
type Answer = (res: ServerResponse, req: Seen) => void;

interface Fake {
  server: Server;
  base: string;
  seen: Seen[];
  answers: Map<string, Answer>;
}

let open: Fake;
let other: Fake;
let internal: Fake;
let env: TestWorker;

async function fake(): Promise<Fake> {
  const seen: Seen[] = [];
  const answers = new Map<string, Answer>();
  const server = createServer((req, res) => {
    const request = { path: req.url!, headers: req.headers };
    seen.push(request);
    (answers.get(req.url!) ?? ((r: ServerResponse) => r.writeHead(200).end('reached')))(res, request);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, answers };
}

/** A fresh path on `on` answered by `answer`; returns its URL. */
function route(on: Fake, answer: Answer): string {
  const path = `/${randomUUID()}`;
  on.answers.set(path, answer);
  return `${on.base}${path}`;
}
const redirect =
  (location: string, status = 302): Answer =>
  (res) =>
    res.writeHead(status, { location }).end();
const text =
  (status: number, body: string): Answer =>
  (res) =>
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
const hits = (on: Fake, url: string) => on.seen.filter((r) => r.path === new URL(url).pathname);

beforeAll(async () => {
  [open, other, internal] = await Promise.all([fake(), fake(), fake()]);
  env = await startTestWorker(undefined, {
    toolSettings: { http: { allow: [new URL(open.base).host, new URL(other.base).host] } },
  });
});
afterAll(async () => {
  await env?.stop();
  for (const { server } of [open, other, internal]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
});

/** Runs the calls as independent steps of one plan (plus an echo step, to show the plan goes on), retries allowed. */
async function runCalls(calls: Record<string, Record<string, unknown>>) {
  const handle = await env.start({
    options: { allowParallel: true, continueOnError: true },
    steps: [
      ...Object.entries(calls).map(([id, parameters]) => ({
        id,
        toolName: 'http_request',
        maxRetries: 2,
        retryDelayMs: 50,
        parameters,
      })),
      { id: 'bystander', toolName: 'echo', parameters: { ok: true } },
    ],
  });
  const state = await handle.result();
  return { planId: handle.workflowId, state, step: (id: string) => state.steps.find((s) => s.id === id)! };
}

test('loopback, link-local (metadata), unspecified and mapped addresses are refused before any connection', async () => {
  const port = new URL(internal.base).port;
  const targets = {
    loopback: `http://127.0.0.1:${port}/`,
    loopback6: `http://[::1]:${port}/`,
    metadata: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    named: `http://localhost:${port}/`,
    mapped: `http://[::ffff:127.0.0.1]:${port}/`,
    decimal: `http://2130706433:${port}/`,
    unspecified: `http://0.0.0.0:${port}/`,
    private: 'http://10.0.0.1/',
  };
  const { planId, state, step } = await runCalls(
    Object.fromEntries(Object.entries(targets).map(([id, url]) => [id, { url }])),
  );
  for (const id of Object.keys(targets)) {
    // Not retried: the destination will not change on a second try.
    expect(step(id)).toMatchObject({ status: 'failed', attempts: 1, errorType: 'HttpDestinationDenied' });
    expect(step(id).error).toContain('PLAN_HTTP_ALLOW=');
  }
  expect(step('metadata').error).toContain('169.254.169.254 is a link-local (cloud metadata) address');
  // A hostname's answer is judged, but its internal addresses are not disclosed to the plan.
  expect(step('named').error).toContain('localhost resolves to a loopback address');
  expect(step('named').error).not.toContain('127.0.0.1');
  expect(internal.seen).toHaveLength(0);
  // The plan itself is intact: its other step ran, it ended partial, and the mirror says the same.
  expect(state).toMatchObject({ status: 'partial', summary: { completed: 1, failed: Object.keys(targets).length } });
  expect(await getPlanProgress(env.pool, planId)).toMatchObject({ status: 'partial' });
  const rows = await getTaskPlansByPlan(env.pool, planId);
  expect(rows.find((r) => r.stepId === 'metadata')).toMatchObject({ errorType: 'HttpDestinationDenied' });
});

test('a redirect from an allowed server to an internal address is refused at that hop', async () => {
  const toInternal = route(open, redirect(`${internal.base}/admin`));
  const toMetadata = route(open, redirect('http://169.254.169.254/latest/meta-data/', 307));
  const { step } = await runCalls({ toInternal: { url: toInternal }, toMetadata: { url: toMetadata } });
  expect(step('toInternal')).toMatchObject({ status: 'failed', attempts: 1, errorType: 'HttpDestinationDenied' });
  expect(step('toMetadata')).toMatchObject({ status: 'failed', attempts: 1, errorType: 'HttpDestinationDenied' });
  expect(hits(open, toInternal)).toHaveLength(1);
  expect(internal.seen).toHaveLength(0);
});

test('credentials stay with their origin: a cross-origin redirect drops secret headers, Authorization and Cookie', async () => {
  const landing = route(other, text(200, 'landed'));
  const sameOrigin = route(open, text(200, 'same origin'));
  const away = route(open, redirect(landing, 301));
  const stay = route(open, redirect(new URL(sameOrigin).pathname));
  const headers = { 'X-Trace': 'kept', Cookie: 'session=plain-cookie' };
  const secretHeaders = { Authorization: 'Bearer sk-origin-bound-token', 'X-Api-Key': 'key-origin-bound' };
  const { step } = await runCalls({
    away: { url: away, headers, secretHeaders },
    stay: { url: stay, headers, secretHeaders },
  });
  expect(step('away')).toMatchObject({ status: 'completed', result: { status: 200, body: 'landed' } });
  const [received] = hits(other, landing);
  expect(received!.headers).toMatchObject({ 'x-trace': 'kept' });
  for (const name of ['authorization', 'x-api-key', 'cookie']) expect(received!.headers[name]).toBeUndefined();
  // The first hop had them, and a same-origin redirect keeps them.
  expect(hits(open, away)[0]!.headers).toMatchObject({ 'x-api-key': 'key-origin-bound' });
  expect(step('stay')).toMatchObject({ status: 'completed', result: { body: 'same origin' } });
  expect(hits(open, sameOrigin)[0]!.headers).toMatchObject({
    authorization: 'Bearer sk-origin-bound-token',
    'x-api-key': 'key-origin-bound',
  });
});

test('redirects are followed at most 5 times, and only to http(s)', async () => {
  const loop = route(open, (res, req) => redirect(req.path)(res, req));
  const toFile = route(open, redirect('file:///etc/passwd'));
  const { step } = await runCalls({ loop: { url: loop }, toFile: { url: toFile } });
  expect(step('loop')).toMatchObject({ status: 'failed', attempts: 1, errorType: 'HttpRedirectError' });
  expect(step('loop').error).toContain('more than 5 redirects');
  expect(hits(open, loop)).toHaveLength(6);
  expect(step('toFile')).toMatchObject({ status: 'failed', attempts: 1, errorType: 'HttpRedirectError' });
});

test('no piece of a secret survives a cut, in the body or in the error message, nor in base64 or URL encoding', async () => {
  const secret = 'sk-LEAKME-0123456789abcdef';
  const secretHeaders = { Authorization: `Bearer ${secret}` };
  // The secret starts 5 bytes before the body's cut at 100, and 10 characters before the error message's cut at 300.
  const straddling = route(open, text(200, `${'x'.repeat(95)}${secret} and more`));
  const refused = route(open, text(403, `${'y'.repeat(290)}${secret} and more`));
  const token = `token ${secret}`;
  const echoes = route(open, (res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        base64: Buffer.from(`Bearer ${secret}`).toString('base64'),
        base64url: Buffer.from(secret).toString('base64url'),
        query: `https://evil.example/?t=${encodeURIComponent(`Bearer ${secret}`)}`,
        form: new URLSearchParams({ token }).toString(),
      }),
    ),
  );
  const { state, step } = await runCalls({
    straddling: { url: straddling, secretHeaders, maxResponseBytes: 100 },
    refused: { url: refused, secretHeaders },
    echoes: { url: echoes, secretHeaders: { Authorization: `Bearer ${secret}`, 'X-Token': token } },
  });
  expect(step('straddling')).toMatchObject({
    status: 'completed',
    result: { body: `${'x'.repeat(95)}[redacted]`, truncated: true },
  });
  expect(step('refused')).toMatchObject({ status: 'failed', attempts: 1, errorType: 'HttpClientError' });
  expect(step('refused').error).toContain(`${'y'.repeat(290)}[redacted]`);
  expect(step('echoes').result).toMatchObject({
    body: {
      base64: '[redacted]',
      base64url: '[redacted]',
      query: 'https://evil.example/?t=[redacted]',
      form: 'token=[redacted]',
    },
  });
  for (const fragment of ['sk-LEAK', 'LEAKME', 'c2stTEVBS01F', 'QmVhcmVy'])
    expect(JSON.stringify(state)).not.toContain(fragment);
});
