/** The codec server over real HTTP on a free port: protocol, CORS preflight, bearer token, hostile bodies. */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, startCodecServer, type RunningCodecServer } from '../../../src/codec';

const UI = 'http://localhost:8233';
const TOKEN = 'codec-token-123';
const codec = new EncryptionCodec([{ id: 'k1', key: randomBytes(32) }]);
let open: RunningCodecServer;
let guarded: RunningCodecServer;

beforeAll(async () => {
  open = await startCodecServer({ codec, corsOrigins: [UI], token: null, port: 0 });
  guarded = await startCodecServer({ codec, corsOrigins: [UI], token: TOKEN, port: 0 });
});
afterAll(() => Promise.all([open.close(), guarded.close()]));

const asJson = (value: unknown) => {
  const payload = defaultPayloadConverter.toPayload(value);
  return {
    metadata: { encoding: Buffer.from(payload.metadata!.encoding!).toString('base64') },
    data: Buffer.from(payload.data!).toString('base64'),
  };
};
const post = (server: RunningCodecServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('encodes and decodes proto3-JSON payloads', async () => {
  const encoded = (await (await post(open, '/encode', { payloads: [asJson({ hello: 'world' })] })).json()) as {
    payloads: { metadata: { encoding: string }; data: string }[];
  };
  expect(Buffer.from(encoded.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
  expect(Buffer.from(encoded.payloads[0].data, 'base64').toString()).not.toContain('world');
  const decoded = await (await post(open, '/decode', encoded)).json();
  expect(decoded).toEqual({ payloads: [asJson({ hello: 'world' })] });
});

test('answers the Web UI preflight with the headers it will send, and only for its origin', async () => {
  const preflight = await fetch(`${guarded.url}/decode`, {
    method: 'OPTIONS',
    headers: { Origin: UI, 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  const foreign = await fetch(`${guarded.url}/decode`, { method: 'OPTIONS', headers: { Origin: 'https://evil.test' } });
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
});

test('with a token set, refuses requests without it or with another', async () => {
  const sealed = await (
    await post(guarded, '/encode', { payloads: [asJson('x')] }, { Authorization: `Bearer ${TOKEN}` })
  ).json();
  const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong' }, { Authorization: TOKEN }];
  for (const headers of attempts) {
    const refused = await post(guarded, '/decode', sealed, headers);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await refused.json())).not.toContain('"x"');
  }
  const allowed = await post(guarded, '/decode', sealed, { Authorization: `Bearer ${TOKEN}` });
  expect(allowed.status).toBe(200);
});

test('refuses hostile bodies with a clear error and keeps serving', async () => {
  expect((await post(open, '/decode', 'not json')).status).toBe(400);
  expect((await post(open, '/decode', { payloads: [{ data: 42 }] })).status).toBe(400);
  const stranger = await startCodecServer({
    codec: new EncryptionCodec([{ id: 'k9', key: randomBytes(32) }]),
    corsOrigins: [],
    token: null,
    port: 0,
  });
  const foreign = await (await post(stranger, '/encode', { payloads: [asJson('x')] })).json();
  await stranger.close();
  const unknownKey = await post(open, '/decode', foreign);
  expect(unknownKey.status).toBe(400);
  expect(((await unknownKey.json()) as { error: string }).error).toMatch(/key "k9"/);
  expect((await fetch(`${open.url}/elsewhere`, { method: 'POST' })).status).toBe(404);
  expect((await post(open, '/decode', { payloads: [] })).status).toBe(200);
});

test('refuses a body over 32 MiB without reading it all, and keeps serving', async () => {
  const huge = `{"payloads":["${'x'.repeat(33 * 1024 * 1024)}"]}`;
  const answer = await post(open, '/decode', huge).then(
    (response) => response.status,
    () => 'connection closed',
  );
  expect([413, 'connection closed']).toContain(answer);
  expect((await post(open, '/decode', { payloads: [] })).status).toBe(200);
});

test('will not listen beyond loopback without a token', async () => {
  await expect(startCodecServer({ codec, corsOrigins: [], token: null, port: 0, host: '0.0.0.0' })).rejects.toThrow(
    /PLAN_CODEC_TOKEN/,
  );
});
