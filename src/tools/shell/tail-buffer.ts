import { REDACTED } from '../secrets';

/**
 * Keeps the last `max` bytes of a stream (the end of a command's output is where its error is), with every secret in
 * them replaced. Secrets are found before the cut: the buffer keeps a secret's length more than it shows, so a secret
 * straddling the cut is seen whole and its surviving part redacted rather than shown.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;
  private readonly secrets: Buffer[];
  /** Bytes kept beyond `max`: enough for a secret ending just inside the cut to be recognised. */
  private readonly slack: number;

  constructor(
    private readonly max: number,
    secrets: readonly string[] = [],
  ) {
    this.secrets = secrets.filter((secret) => secret !== '').map((secret) => Buffer.from(secret));
    this.slack = Math.max(0, ...this.secrets.map((secret) => secret.length - 1));
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.max + this.slack) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  get truncated(): boolean {
    return this.dropped || this.size > this.max;
  }

  /** The kept bytes as UTF-8, secrets redacted, starting at a whole character when the start was cut off. */
  text(): string {
    let window = Buffer.concat(this.chunks);
    if (window.length > this.max + this.slack) window = window.subarray(window.length - this.max - this.slack);
    const cut = Math.max(0, window.length - this.max);
    const secret = this.secretBytes(window);
    let start = cut;
    if (this.truncated && !secret[start]) {
      while (start < window.length && start < cut + 3 && (window[start]! & 0xc0) === 0x80) start++;
    }
    // Runs of plain bytes are copied; each run of secret bytes, even one begun before the cut, becomes REDACTED.
    let out = '';
    for (let from = start; from < window.length;) {
      let to = from;
      while (to < window.length && secret[to] === secret[from]) to++;
      out += secret[from] ? REDACTED : window.toString('utf8', from, to);
      from = to;
    }
    return out;
  }

  /** Marks the bytes of every occurrence of a secret. */
  private secretBytes(window: Buffer): Uint8Array {
    const marks = new Uint8Array(window.length);
    for (const secret of this.secrets) {
      for (let at = window.indexOf(secret); at !== -1; at = window.indexOf(secret, at + 1)) {
        marks.fill(1, at, at + secret.length);
      }
    }
    return marks;
  }
}
