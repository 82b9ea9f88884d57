/** Keeping credentials passed as secret parameters out of what a tool returns or throws. */

export const REDACTED = '[redacted]';

/** Every non-empty string inside the named parameters, longest first (so a secret containing another goes whole). */
export function secretValues(names: readonly string[] | undefined, parameters: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value !== '') found.add(value);
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  for (const name of names ?? []) collect(parameters[name]);
  return [...found].sort((a, b) => b.length - a.length);
}

/** A copy of `value` with every occurrence of a secret in its strings replaced, however deep (a server may echo it). */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  return scrub(value, secrets) as T;
}

/** `text` with every secret replaced. */
export function scrubText(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

function scrub(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets));
  if (value !== null && typeof value === 'object' && isPlain(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [scrubText(key, secrets), scrub(item, secrets)]),
    );
  }
  return value;
}

// Dates, Buffers and the like keep their type; they serialise to something a secret string cannot hide in.
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
