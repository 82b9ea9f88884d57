import { TailBuffer } from '../../src/tools/shell/tail-buffer';

function fill(buffer: TailBuffer, text: string, chunk: number): TailBuffer {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += chunk) buffer.push(bytes.subarray(at, at + chunk));
  return buffer;
}

test('keeps the last bytes and says it cut', () => {
  const buffer = fill(new TailBuffer(10), 'a'.repeat(50) + '0123456789', 7);
  expect(buffer.text()).toBe('0123456789');
  expect(buffer.truncated).toBe(true);
  expect(fill(new TailBuffer(10), 'short', 2).truncated).toBe(false);
});

test('secrets are redacted wherever they fall, before the cut', () => {
  const secret = 'SECRET-0123456789';
  const text = `start ${secret} middle ${secret} end`;
  expect(fill(new TailBuffer(1000, [secret]), text, 3).text()).toBe('start [redacted] middle [redacted] end');
});

test.each([1, 5, 8, 16])('a secret straddling the cut leaves none of itself (%d bytes of it inside)', (inside) => {
  const secret = 'tok-ABCDEFGHIJKLMNOP'; // 20 bytes
  const tail = 'after';
  const max = inside + tail.length;
  for (const chunk of [1, 3, 64]) {
    const text = fill(new TailBuffer(max, [secret]), 'x'.repeat(100) + secret + tail, chunk).text();
    expect(text).toBe(`[redacted]${tail}`);
    for (let n = 4; n <= secret.length; n++) {
      expect(text).not.toContain(secret.slice(0, n));
      expect(text).not.toContain(secret.slice(-n));
    }
  }
});

test('a cut inside a multi-byte character starts the text at the next whole one', () => {
  expect(fill(new TailBuffer(4), 'aé€', 1).text()).toBe('€');
});
