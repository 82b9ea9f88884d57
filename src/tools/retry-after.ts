/**
 * How long a server asks to be left alone, from a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110
 * 10.2.3). Undefined when absent, unreadable or already past, so Temporal's own backoff applies.
 */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return positive(Math.round(Number(text) * 1000));
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : positive(at - now);
}

function positive(ms: number): number | undefined {
  return ms > 0 ? ms : undefined;
}
