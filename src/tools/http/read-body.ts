import { REDACTED, scrubText, secretForms } from '../secrets';

/** A response body read up to a byte limit: parsed JSON when the response says it is JSON, else text. */
export interface ResponseBody {
  body: unknown;
  /** True when the body was longer than the limit; `body` is then its first bytes, as text. */
  truncated: boolean;
}

/**
 * Reads at most `maxBytes` of the body and stops the download there, so a huge answer cannot fill the worker. A cut
 * body is scrubbed of `secrets` here, looking past the cut: a secret straddling it would leave its first half behind.
 */
export async function readBody(
  response: Response,
  maxBytes: number,
  secrets: readonly string[],
): Promise<ResponseBody> {
  const forms = secretForms(secrets);
  // Enough beyond the limit to hold the rest of any secret that starts before it.
  const lookahead = Math.max(0, ...forms.map((form) => Buffer.byteLength(form) - 1));
  const { bytes, truncated } = await readCapped(response, maxBytes, lookahead);
  if (truncated) return { body: scrubText(headWithoutStraddler(bytes, maxBytes, forms), secrets), truncated };
  const text = new TextDecoder().decode(bytes);
  if (text === '' || !saysJson(response.headers.get('content-type'))) return { body: text, truncated };
  try {
    return { body: JSON.parse(text) as unknown, truncated };
  } catch {
    // A server that labels something else as JSON: its text is still the most useful result.
    return { body: text, truncated };
  }
}

/** The first `maxBytes` (plus up to `lookahead` more when there are more) of the body; truncated if it is longer. */
async function readCapped(
  response: Response,
  maxBytes: number,
  lookahead: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  const limit = maxBytes + lookahead;
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: concat(chunks, size), truncated: size > maxBytes };
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      await reader.cancel();
      return { bytes: concat(chunks, limit), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}

/**
 * The first `maxBytes` as text (a character cut in two becomes U+FFFD); a secret form that starts there and ends
 * past the cut is replaced from its start, since the part before the cut alone would not be recognised.
 */
function headWithoutStraddler(bytes: Uint8Array, maxBytes: number, forms: readonly string[]): string {
  const head = new TextDecoder().decode(bytes.subarray(0, maxBytes));
  const whole = new TextDecoder().decode(bytes);
  const starts = forms.flatMap((form) => {
    const at = whole.indexOf(form, Math.max(0, head.length - form.length + 1));
    return at !== -1 && at < head.length ? [at] : [];
  });
  return starts.length === 0 ? head : head.slice(0, Math.min(...starts)) + REDACTED;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

// application/json, application/problem+json, text/json ...
function saysJson(contentType: string | null): boolean {
  return contentType !== null && /[/+]json\b/i.test(contentType);
}
