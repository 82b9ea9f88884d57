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

/**
 * A copy of `value` with every occurrence of a secret (in any of its `secretForms`) in its strings replaced, however
 * deep (a server may echo it).
 */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  return scrub(value, secretForms(secrets)) as T;
}

/** `text` with every secret, in any of its `secretForms`, replaced. */
export function scrubText(text: string, secrets: readonly string[]): string {
  return replaceAll(text, secretForms(secrets));
}

// Shorter credentials found inside a value (after "Bearer ") are too likely to be ordinary words to scrub everywhere.
const MIN_INNER_CREDENTIAL = 8;

/**
 * The forms a secret comes back in, longest first: as is, the credential after an auth scheme (`Bearer <token>`,
 * `Basic <base64>`, which a server may echo alone), and of each its URL encodings and base64 (standard and url-safe,
 * without padding) — what a server that reflects a request in a redirect, a query string or a token usually shows.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    const credential = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(secret)?.[1];
    const plain = credential && credential.length >= MIN_INNER_CREDENTIAL ? [secret, credential] : [secret];
    for (const value of plain) {
      const base64 = Buffer.from(value).toString('base64').replace(/=+$/, '');
      const encoded = [encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), base64];
      for (const form of [value, ...encoded, base64.replace(/\+/g, '-').replace(/\//g, '_')]) forms.add(form);
    }
  }
  return [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}

/** `text` with every one of `forms` (longest first) replaced. */
function replaceAll(text: string, forms: readonly string[]): string {
  return forms.reduce((out, form) => out.split(form).join(REDACTED), text);
}

function scrub(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return replaceAll(value, secrets);
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets));
  if (value !== null && typeof value === 'object' && isPlain(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [replaceAll(key, secrets), scrub(item, secrets)]),
    );
  }
  return value;
}

// Dates, Buffers and the like keep their type; they serialise to something a secret string cannot hide in.
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
