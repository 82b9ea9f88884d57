import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { deniedRange } from '../../src/tools/http/denied-addresses';
import { OutboundPolicy } from '../../src/tools/http/outbound-policy';
import { pinnedRequest } from '../../src/tools/http/pinned-request';
import { scrubText, secretForms } from '../../src/tools/secrets';

test('internal addresses are denied in every spelling, public ones are not', () => {
  const denied = {
    '127.0.0.1': 'loopback',
    '127.255.0.9': 'loopback',
    '::1': 'loopback',
    '0.0.0.0': 'unspecified',
    '::': 'unspecified',
    '169.254.169.254': 'link-local (cloud metadata)',
    'fe80::1': 'link-local',
    '10.1.2.3': 'private',
    '172.16.0.1': 'private',
    '172.31.255.255': 'private',
    '192.168.1.1': 'private',
    '100.64.0.1': 'shared (CGNAT)',
    'fd00:ec2::254': 'unique-local',
    'fc00::1': 'unique-local',
    '::ffff:127.0.0.1': 'loopback',
    '::ffff:7f00:1': 'loopback',
    '::ffff:a9fe:a9fe': 'link-local (cloud metadata)',
    '::ffff:10.0.0.1': 'private',
  };
  for (const [address, range] of Object.entries(denied))
    expect([address, deniedRange(address)]).toEqual([address, range]);
  for (const address of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])
    expect([address, deniedRange(address)]).toEqual([address, null]);
});

test('PLAN_HTTP_ALLOW opens a host on any port, or on the port it names; malformed entries stop the worker', async () => {
  const policy = new OutboundPolicy(['127.0.0.1:8080', 'LOCALHOST', '[::1]:9000']);
  expect(await policy.destination(new URL('http://127.0.0.1:8080/x'))).toBeNull();
  expect(await policy.destination(new URL('http://localhost:1234/'))).toBeNull();
  expect(await policy.destination(new URL('http://[::1]:9000/'))).toBeNull();
  for (const url of ['http://127.0.0.1:8081/', 'http://127.0.0.1/', 'http://[::1]:9001/', 'http://127.0.0.2:8080/']) {
    const refusal = await policy.destination(new URL(url)).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ApplicationFailure);
    expect(refusal).toMatchObject({ type: 'HttpDestinationDenied', nonRetryable: true });
  }
  for (const entry of ['http://host', 'host:0', 'host:70000', 'user@host', 'a b'])
    expect(() => new OutboundPolicy([entry])).toThrow(`PLAN_HTTP_ALLOW: "${entry}" is not host[:port]`);
});

test('a checked destination is connected to as checked: no second DNS answer can send it elsewhere', async () => {
  const server = createServer((req, res) => res.end(`reached ${req.headers.host}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    // `.invalid` never resolves: the answer can only come from the pinned address.
    const url = new URL(`http://pinned.invalid:${port}/`);
    const signal = new AbortController().signal;
    const response = await pinnedRequest(url, { method: 'GET', headers: new Headers(), signal }, [
      { address: '127.0.0.1', family: 4 },
    ]);
    expect(await response.text()).toBe(`reached pinned.invalid:${port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a secret is scrubbed as it is, as the token after its scheme, and base64- or URL-encoded', () => {
  const forms = secretForms(['Bearer tok/en+value=1']);
  const echoes = [
    'Bearer tok/en+value=1',
    'tok/en+value=1',
    encodeURIComponent('Bearer tok/en+value=1'),
    new URLSearchParams({ v: 'tok/en+value=1' }).toString().slice(2),
    Buffer.from('Bearer tok/en+value=1').toString('base64'),
    Buffer.from('tok/en+value=1').toString('base64url'),
  ];
  for (const echo of echoes) expect(scrubText(`<${echo}>`, ['Bearer tok/en+value=1'])).toMatch(/^<\[redacted\]=*>$/);
  // Longest first, so a form containing another goes whole.
  expect(forms).toEqual([...forms].sort((a, b) => b.length - a.length));
  // A short token after a scheme is not scrubbed on its own: it would blank ordinary words.
  expect(scrubText('the key', ['Basic key'])).toBe('the key');
});
