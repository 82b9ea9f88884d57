/**
 * What a subscriber shows of streamed tokens: each model call's text once, in order. A retried attempt streams the
 * call's answer again from offset 0; only what goes past the text already shown is new.
 */
export class TokenDedupe {
  private readonly shown = new Map<string, number>();

  /** The part of a chunk (turn, call, offset, text) not shown yet; '' when all of it was. */
  fresh(turn: number, call: number, offset: number, text: string): string {
    const key = `${turn}:${call}`;
    const shown = this.shown.get(key) ?? 0;
    if (offset + text.length <= shown) return '';
    this.shown.set(key, offset + text.length);
    return text.slice(Math.max(0, shown - offset));
  }
}
