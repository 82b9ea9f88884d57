import { retryAfterMs } from '../../src/tools/retry-after';
import { scrubSecrets, secretValues } from '../../src/tools/secrets';
import { TailBuffer } from '../../src/tools/shell/tail-buffer';

test('secret values are every string inside the secret parameters, longest first', () => {
  const params = { url: 'https://x', secretHeaders: { Authorization: 'Bearer abc', 'X-Key': 'abc' }, list: ['nope'] };
  expect(secretValues(['secretHeaders'], params)).toEqual(['Bearer abc', 'abc']);
  expect(secretValues(undefined, params)).toEqual([]);
});

test('scrubbing replaces secrets in strings and keys at any depth and keeps other values as they are', () => {
  const at = new Date(0);
  const value = { echoed: 'token is s3cret!', nested: [{ s3cret: 1, n: 2, at }], flag: true };
  expect(scrubSecrets(value, ['s3cret'])).toEqual({
    echoed: 'token is [redacted]!',
    nested: [{ '[redacted]': 1, n: 2, at }],
    flag: true,
  });
  expect(scrubSecrets(value, [])).toBe(value);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  expect(retryAfterMs('1', now)).toBe(1000);
  expect(retryAfterMs(' 2.5 ', now)).toBe(2500);
  expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBeUndefined();
  expect(retryAfterMs('soon', now)).toBeUndefined();
  expect(retryAfterMs(null, now)).toBeUndefined();
  expect(retryAfterMs('0', now)).toBeUndefined();
});

test('a tail buffer keeps the last bytes and starts on a whole character', () => {
  const tail = new TailBuffer(5);
  tail.push(Buffer.from('abc'));
  expect([tail.text(), tail.truncated]).toEqual(['abc', false]);
  tail.push(Buffer.from('defg'));
  expect([tail.text(), tail.truncated]).toEqual(['cdefg', true]);
  const utf8 = new TailBuffer(4);
  utf8.push(Buffer.from('aé€')); // 1 + 2 + 3 bytes: the last 4 start inside "é"
  expect(utf8.text()).toBe('€');
});
