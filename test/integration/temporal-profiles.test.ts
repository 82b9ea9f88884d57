/**
 * Connecting the way a team with a secured cluster or Temporal Cloud does: a profile in the standard temporal.toml
 * naming a TLS endpoint, the CA, a client certificate and an API key. The suite's dev server sits behind a proxy
 * that demands all three, so a plan that runs there — `plan worker --profile`, `plan start --profile`, an approval
 * through TEMPORAL_PROFILE, and the TypeScript API — shows every piece used the profile, and wrong credentials are
 * refused with what to check.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectClient } from '../../src/api/connect';
import { loadConfig } from '../../src/config';
import { stateQuery } from '../../src/workflows/definitions';
import { runNode, type RunningChild } from '../support/child';
import { cli, planFiles, STACK_TRACE } from '../support/cli';
import { GrpcTlsProxy } from '../support/grpc-tls-proxy';
import { uniqueId } from '../support/plan-worker';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates';
import { testStack } from '../support/test-stack';

jest.setTimeout(120_000);

const API_KEY = 'test-key-0f3c';
const taskQueue = uniqueId('profiles');
let certificates: TestCertificates;
let proxy: GrpcTlsProxy;
let worker: RunningChild | undefined;
let profileEnv: Record<string, string | undefined>;
const file = planFiles();

beforeAll(async () => {
  certificates = makeTestCertificates();
  proxy = await GrpcTlsProxy.start({ upstream: testStack().temporalAddress, certificates, apiKey: API_KEY });
  const toml = join(certificates.dir, 'temporal.toml');
  const tls = (cert: string, key: string) =>
    `server_ca_cert_path = "${certificates.caCert}"\nserver_name = "localhost"\n` +
    `client_cert_path = "${cert}"\nclient_key_path = "${key}"\n`;
  writeFileSync(
    toml,
    `[profile.secure]\naddress = "127.0.0.1:${proxy.port}"\nnamespace = "default"\napi_key = "${API_KEY}"\n` +
      `[profile.secure.tls]\n${tls(certificates.clientCert, certificates.clientKey)}` +
      `[profile.wrong-key]\naddress = "127.0.0.1:${proxy.port}"\napi_key = "not-the-key"\n` +
      `[profile.wrong-key.tls]\n${tls(certificates.clientCert, certificates.clientKey)}` +
      `[profile.stranger]\naddress = "127.0.0.1:${proxy.port}"\napi_key = "${API_KEY}"\n` +
      `[profile.stranger.tls]\n${tls(certificates.strangerCert, certificates.strangerKey)}`,
  );
  // Nothing but the profile says where Temporal is.
  profileEnv = { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_ADDRESS: undefined, PLAN_TASK_QUEUE: taskQueue };
});

afterAll(async () => {
  worker?.child.kill('SIGINT');
  await worker?.exited;
  await proxy?.close();
});

test('a plan runs through a named profile with mTLS and an API key: worker, CLI and TypeScript API', async () => {
  worker = runNode(['scripts/plan.js', 'worker', '--profile', 'secure'], {
    ...profileEnv,
    TEMPORAL_ADDRESS: '',
    DATABASE_URL: testStack().databaseUrl,
  });
  await worker.waitFor(/worker polling task queue .* \(profile secure\)/);

  const planId = uniqueId('profile-plan');
  const path = file(`${planId}.json`, {
    options: { requireApproval: true },
    steps: [{ id: 'greet', toolName: 'echo', parameters: { greeting: 'through TLS' } }],
  });
  const started = await cli(['start', path, '--id', planId, '--profile', 'secure'], { env: profileEnv });
  expect(started.stderr).toBe('');
  expect(started.code).toBe(0);
  expect(started.stdout).toContain(`Started plan ${planId}`);

  // TEMPORAL_PROFILE does what --profile does.
  const approved = await cli(['approve', planId, '--by', 'alice'], {
    env: { ...profileEnv, TEMPORAL_PROFILE: 'secure' },
  });
  expect({ code: approved.code, stderr: approved.stderr }).toEqual({ code: 0, stderr: '' });

  // The TypeScript API with the same profile reads the finished plan.
  const client = await connectClient(
    loadConfig({ TEMPORAL_CONFIG_FILE: profileEnv.TEMPORAL_CONFIG_FILE }, { profile: 'secure' }),
  );
  try {
    const handle = client.workflow.getHandle(planId);
    await handle.result();
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('completed');
    expect(state.steps.map((step) => [step.id, step.status, step.result])).toEqual([
      ['greet', 'completed', { greeting: 'through TLS' }],
    ]);
  } finally {
    await client.connection.close();
  }
  // Every call went through the proxy, none refused: the worker's polls among them.
  expect(proxy.forwarded).toBeGreaterThan(5);
  expect(proxy.refused).toBe(0);
});

test('a wrong API key is refused with what to check', async () => {
  const result = await cli(['status', 'anything', '--profile', 'wrong-key'], { env: profileEnv });
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/refused the credentials of Temporal profile "wrong-key".*Check the API key/s);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(proxy.refused).toBeGreaterThan(0);
});

test('a client certificate of another authority never gets through the TLS handshake', async () => {
  const before = proxy.forwarded;
  const result = await cli(['status', 'anything', '--profile', 'stranger'], { env: profileEnv });
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/Temporal is unreachable at 127\.0\.0\.1:\d+ \(Temporal profile "stranger"\)/);
  expect(proxy.forwarded).toBe(before);
});

test('a profile that is not in the file is named, with where it was looked for', async () => {
  const result = await cli(['status', 'anything', '--profile', 'staging'], { env: profileEnv });
  expect(result.code).toBe(2);
  expect(result.stderr).toBe(
    `Temporal profile "staging" is not in ${profileEnv.TEMPORAL_CONFIG_FILE} (--profile / TEMPORAL_PROFILE name a ` +
      '[profile.<name>] table there)\n',
  );
});
