/**
 * PostgreSQL's jsonb (and text) refuse two things JavaScript strings may hold: the NUL character (U+0000) and lone
 * UTF-16 surrogates. Step parameters and results are the user's data, so such strings are stored escaped, losslessly,
 * and reads undo it: a string (value or key) that holds one, or that starts with ESCAPED itself, is stored as ESCAPED
 * followed by its JSON text (`\u0000`, `\ud800` spelled out in ASCII). Everything else is stored as it is.
 */

/** What an escaped string starts with, as SQL readers of the mirror see it, e.g. `$escaped:"a\u0000b"`. */
export const ESCAPED = '$escaped:';

// A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one.
const REFUSED = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// In JSON text written by JSON.stringify: an escaped NUL or lone surrogate, or a string starting with ESCAPED.
// A backslash the user wrote (`\\u0000`) matches too; that only costs a walk that changes nothing.
const MAY_NEED_ESCAPING = /\\u0000|\\ud[89a-f]|"\$escaped:/;

/** The JSON text to send to a jsonb parameter: `value` with every string PostgreSQL would refuse escaped. */
export function jsonbText(value: unknown): string {
  const json = JSON.stringify(value ?? null);
  return MAY_NEED_ESCAPING.test(json) ? JSON.stringify(mapStrings(value, escape)) : json;
}

/** A value read from jsonb (or a row of them) with every escaped string back as it was written. */
export function fromJsonb<T>(value: T): T {
  return mapStrings(value, unescape) as T;
}

function escape(text: string): string {
  return REFUSED.test(text) || text.startsWith(ESCAPED) ? ESCAPED + JSON.stringify(text) : text;
}

// Text that only looks escaped (written into the table by hand) is left as it is.
function unescape(text: string): string {
  if (!text.startsWith(ESCAPED)) return text;
  try {
    const original: unknown = JSON.parse(text.slice(ESCAPED.length));
    return typeof original === 'string' ? original : text;
  } catch {
    return text;
  }
}

// Recursing is safe: every value here went through (or came from) JSON text, which nests no deeper than this does.
function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), mapStrings(item, map)]));
  }
  return value;
}
