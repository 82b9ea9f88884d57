/** Keeps the last `max` bytes of a stream: the end of a command's output is where its error is. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.max) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  get truncated(): boolean {
    return this.dropped || this.size > this.max;
  }

  /** The kept bytes as UTF-8, starting at a whole character when the start was cut off. */
  text(): string {
    let bytes = Buffer.concat(this.chunks);
    if (bytes.length > this.max) bytes = bytes.subarray(bytes.length - this.max);
    if (this.truncated) {
      let start = 0;
      while (start < bytes.length && start < 3 && (bytes[start]! & 0xc0) === 0x80) start++;
      bytes = bytes.subarray(start);
    }
    return bytes.toString('utf8');
  }
}
