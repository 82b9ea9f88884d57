import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { startTestWorker, type TestWorker } from '../support/plan-worker';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
}
type Answer = (res: ServerResponse, req: Seen) => void;

// The outside world: an OpenAI-compatible server. Each test uses a model name of its own, which picks its script.
const seen: Seen[] = [];
const scripts = new Map<string, Answer[]>();
let server: Server;
let env: TestWorker;
let unconfigured: TestWorker;

const completion =
  (content: string): Answer =>
  (res, req) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: `${String(req.body.model)}-2026`,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
      }),
    );
  };
const error =
  (status: number, headers: Record<string, string> = {}): Answer =>
  (res) => {
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify({ error: { message: `status ${status} on purpose`, type: 'test', code: null } }));
  };
const hang: Answer = () => undefined;
// A server that quotes what it was sent: the key, in its error text or in the completion itself.
const echoKey =
  (status: number): Answer =>
  (res, req) => {
    const key = String(req.headers.authorization).replace('Bearer ', '');
    if (status === 200)
      return completion(`you said ${key}, in base64 ${Buffer.from(key).toString('base64')}`)(res, req);
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, type: 'auth', code: key } }));
  };

/** A fresh model name whose requests get `answers` in order, the last one repeating. */
function model(...answers: Answer[]): string {
  const name = `model-${randomUUID().slice(0, 8)}`;
  scripts.set(name, answers);
  return name;
}
const requestsFor = (name: string) => seen.filter((r) => r.body.model === name);
const API_KEY = 'sk-test-0123456789abcdef';
const MAX_RESPONSE_BYTES = 64 * 1024;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const request: Seen = { path: req.url!, headers: req.headers, body: JSON.parse(text || '{}'), at: Date.now() };
      seen.push(request);
      const answers =
        req.method === 'POST' && req.url === '/v1/chat/completions'
          ? scripts.get(String(request.body.model))
          : undefined;
      if (!answers) return error(404)(res, request);
      (answers.length > 1 ? answers.shift()! : answers[0]!)(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  env = await startTestWorker(undefined, {
    toolSettings: {
      llm: {
        apiKey: API_KEY,
        baseUrl,
        model: model(completion('from the default')),
        maxResponseBytes: MAX_RESPONSE_BYTES,
      },
    },
  });
  unconfigured = await startTestWorker();
});
afterAll(async () => {
  await env?.stop();
  await unconfigured?.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function chat(parameters: Record<string, unknown>, step: Record<string, unknown> = {}, on: TestWorker = env) {
  const handle = await on.start({
    steps: [{ id: 'ask', toolName: 'llm_chat', retryDelayMs: 50, parameters, ...step }],
  });
  return (await handle.result()).steps[0]!;
}
const messages = [
  { role: 'system', content: 'Answer in one word.' },
  { role: 'user', content: 'Colour of the sky?' },
];

test('a completion through the real openai client: content, model, finish reason and token usage', async () => {
  const name = model(completion('Blue'));
  const step = await chat({ messages, model: name, temperature: 0.2, maxTokens: 5 });
  expect(step).toMatchObject({ status: 'completed', attempts: 1 });
  expect(step.result).toEqual({
    content: 'Blue',
    json: null,
    model: `${name}-2026`,
    finishReason: 'stop',
    usage: { promptTokens: 7, completionTokens: 3, totalTokens: 10 },
  });
  const [request] = requestsFor(name);
  expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  expect(request!.body).toMatchObject({ model: name, messages, temperature: 0.2, max_tokens: 5 });
});

test("without a model the worker's PLAN_LLM_MODEL is used; JSON answers are parsed when asked for", async () => {
  const byDefault = await chat({ messages });
  expect(byDefault.result).toMatchObject({ content: 'from the default' });
  const name = model(completion('{"colour":"blue"}'));
  const json = await chat({ messages, model: name, responseFormat: { type: 'json_object' } });
  expect(json.result).toMatchObject({ json: { colour: 'blue' } });
  expect(requestsFor(name)[0]!.body.response_format).toEqual({ type: 'json_object' });
});

test("429 then 500 are retried by the plan's policy, the 429 after its Retry-After; the client itself never retries", async () => {
  const name = model(error(429, { 'retry-after': '1' }), error(500), completion('Blue'));
  const step = await chat({ messages, model: name }, { maxRetries: 3 });
  expect(step).toMatchObject({ status: 'completed', attempts: 3, result: { content: 'Blue' } });
  const requests = requestsFor(name);
  expect(requests).toHaveLength(3);
  expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(950);
});

test("a server that stays down uses up the plan's retries and fails with LlmUnavailable", async () => {
  const name = model(error(503));
  const step = await chat({ messages, model: name }, { maxRetries: 1 });
  expect(step).toMatchObject({ status: 'failed', attempts: 2, errorType: 'LlmUnavailable' });
  expect(requestsFor(name)).toHaveLength(2);
});

test('a request the server refuses (4xx) fails with LlmRequestError, not retried', async () => {
  const name = model(error(400));
  const step = await chat({ messages, model: name }, { maxRetries: 2 });
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'LlmRequestError' });
  expect(step.error).toContain('status 400 on purpose');
});

test('a server that hangs past the step timeout: each attempt gives up in time and the next one runs', async () => {
  const name = model(hang);
  const step = await chat({ messages, model: name }, { maxRetries: 1, timeoutMs: 1000 });
  expect(step).toMatchObject({ status: 'failed', attempts: 2, errorType: 'LlmUnavailable' });
  expect(step.error).toContain('no answer within');
  expect(requestsFor(name)).toHaveLength(2);
});

test('a worker without a model server fails the step at once, saying which variables to set', async () => {
  const step = await chat({ messages }, { maxRetries: 2 }, unconfigured);
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'LlmNotConfigured' });
  for (const variable of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PLAN_LLM_MODEL'])
    expect(step.error).toContain(variable);
});

test('the API key never comes back: not in an error the server words with it, nor in a completion quoting it', async () => {
  const refused = await chat({ messages, model: model(echoKey(401)) }, { maxRetries: 2 });
  expect(refused).toMatchObject({ status: 'failed', attempts: 1, errorType: 'LlmRequestError' });
  expect(refused.error).toContain('Incorrect API key provided: [redacted]');
  const down = await chat({ messages, model: model(echoKey(503)) }, { maxRetries: 1 });
  expect(down).toMatchObject({ status: 'failed', attempts: 2, errorType: 'LlmUnavailable' });
  const quoted = await chat({ messages, model: model(echoKey(200)) });
  expect(quoted).toMatchObject({
    status: 'completed',
    result: { content: 'you said [redacted], in base64 [redacted]' },
  });
  for (const step of [refused, down, quoted]) expect(JSON.stringify(step)).not.toContain('0123456789abcdef');
});

test("a completion larger than the worker's PLAN_LLM_MAX_RESPONSE_BYTES fails with LlmResponseTooLarge, not retried", async () => {
  const huge = model(completion('z'.repeat(MAX_RESPONSE_BYTES * 4)));
  const step = await chat({ messages, model: huge }, { maxRetries: 2 });
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'LlmResponseTooLarge' });
  expect(step.error).toContain(`larger than ${MAX_RESPONSE_BYTES} bytes`);
  // A chunked answer (no Content-Length) is stopped while it streams, too.
  const streamed = model((res, req) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`{"id":"x","object":"chat.completion","model":"${String(req.body.model)}","choices":[{"index":0,`);
    res.end(
      `"message":{"role":"assistant","content":"${'z'.repeat(MAX_RESPONSE_BYTES * 4)}"},"finish_reason":"stop"}]}`,
    );
  });
  expect(await chat({ messages, model: streamed })).toMatchObject({
    status: 'failed',
    errorType: 'LlmResponseTooLarge',
  });
  // The plan worker is fine: the next completion works.
  expect(await chat({ messages, model: model(completion('Blue')) })).toMatchObject({ status: 'completed' });
});
