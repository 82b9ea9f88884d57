/**
 * How the Temporal connection is configured: the standard temporal.toml profiles, the TEMPORAL_* variables over them,
 * flags over both, certificates read only when connecting, and the Temporal Web link that follows the address.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, temporalConnectionOptions, TemporalProfileError, webUiBase } from '../../src/config';

const dir = mkdtempSync(join(tmpdir(), 'temporal-config-'));
const toml = join(dir, 'temporal.toml');
writeFileSync(
  toml,
  [
    '[profile.default]',
    'address = "temporal.internal:7233"',
    'namespace = "plans"',
    '[profile.cloud]',
    'address = "plans.a1b2c.tmprl.cloud:7233"',
    'namespace = "plans.a1b2c"',
    'api_key = "secret-key"',
    '[profile.mtls]',
    'address = "temporal.internal:7233"',
    '[profile.mtls.tls]',
    `client_cert_path = "${join(dir, 'client.pem')}"`,
    `client_key_path = "${join(dir, 'client.key')}"`,
    'server_name = "temporal"',
    '[profile.half]',
    '[profile.half.tls]',
    `client_cert_path = "${join(dir, 'client.pem')}"`,
  ].join('\n'),
);
const env = (extra: Record<string, string> = {}) => ({ TEMPORAL_CONFIG_FILE: toml, ...extra });

test('the default profile, a named one, and TEMPORAL_PROFILE', () => {
  expect(loadConfig(env())).toMatchObject({ temporalAddress: 'temporal.internal:7233', namespace: 'plans' });
  expect(loadConfig(env(), { profile: 'cloud' })).toMatchObject({
    temporalAddress: 'plans.a1b2c.tmprl.cloud:7233',
    namespace: 'plans.a1b2c',
    temporal: { profile: 'cloud', apiKey: 'secret-key' },
  });
  expect(loadConfig(env({ TEMPORAL_PROFILE: 'cloud' })).temporal.profile).toBe('cloud');
});

test('variables override the profile; blank ones do not', () => {
  const config = loadConfig(env({ TEMPORAL_ADDRESS: 'other:7233', TEMPORAL_NAMESPACE: ' ' }), { profile: 'cloud' });
  expect(config).toMatchObject({ temporalAddress: 'other:7233', namespace: 'plans.a1b2c' });
});

test('no file and no variables: the local dev server', () => {
  const config = loadConfig({ TEMPORAL_CONFIG_FILE: join(dir, 'absent.toml') });
  expect(config.temporalAddress).toBeNull();
  expect(temporalConnectionOptions(config)).toEqual({ address: '127.0.0.1:7233' });
});

test('an API key alone means TLS with the system roots, as Temporal Cloud needs', () => {
  expect(temporalConnectionOptions(loadConfig(env(), { profile: 'cloud' }))).toEqual({
    address: 'plans.a1b2c.tmprl.cloud:7233',
    apiKey: 'secret-key',
    tls: true,
  });
});

test('certificates are read when connecting, and a missing one is named', () => {
  const config = loadConfig(env(), { profile: 'mtls' }); // loading does not need the files
  expect(() => temporalConnectionOptions(config)).toThrow(TemporalProfileError);
  expect(() => temporalConnectionOptions(config)).toThrow(/TLS file of Temporal profile "mtls".*client\.pem/);
  writeFileSync(join(dir, 'client.pem'), 'CERT');
  writeFileSync(join(dir, 'client.key'), 'KEY');
  expect(temporalConnectionOptions(config).tls).toEqual({
    serverNameOverride: 'temporal',
    serverRootCACertificate: undefined,
    clientCertPair: { crt: Uint8Array.from(Buffer.from('CERT')), key: Uint8Array.from(Buffer.from('KEY')) },
  });
});

test('a client certificate without its key is refused rather than silently dropped', () => {
  expect(() => temporalConnectionOptions(loadConfig(env(), { profile: 'half' }))).toThrow(
    /Temporal profile "half" names a TLS client certificate without its key/,
  );
});

test('a profile that does not exist is an error naming it and the file', () => {
  expect(() => loadConfig(env(), { profile: 'staging' })).toThrow(
    new TemporalProfileError(
      `Temporal profile "staging" is not in ${toml} (--profile / TEMPORAL_PROFILE name a [profile.<name>] table there)`,
    ),
  );
});

test('the Temporal Web link follows the address', () => {
  const at = (address: string | undefined, extra: Record<string, string> = {}) =>
    webUiBase(
      loadConfig({
        TEMPORAL_CONFIG_FILE: join(dir, 'absent.toml'),
        ...(address ? { TEMPORAL_ADDRESS: address } : {}),
        ...extra,
      }),
    );
  expect(at(undefined)).toBe('http://localhost:8233');
  expect(at(undefined, { TEMPORAL_DEV_PORT: '7300' })).toBe('http://localhost:8300');
  expect(at('127.0.0.1:7400')).toBe('http://localhost:8400');
  expect(at('plans.a1b2c.tmprl.cloud:7233')).toBe('https://cloud.temporal.io');
  expect(at('us-east-1.aws.api.temporal.io:7233')).toBe('https://cloud.temporal.io');
  expect(at('temporal.internal:7233')).toBeNull();
  expect(at('temporal.internal:7233', { TEMPORAL_UI_URL: 'https://temporal.example.com/' })).toBe(
    'https://temporal.example.com',
  );
});
