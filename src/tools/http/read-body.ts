/** A response body read up to a byte limit: parsed JSON when the response says it is JSON, else text. */
export interface ResponseBody {
  body: unknown;
  /** True when the body was longer than the limit; `body` is then its first bytes, as text. */
  truncated: boolean;
}

/** Reads at most `maxBytes` of the body and stops the download there, so a huge answer cannot fill the worker. */
export async function readBody(response: Response, maxBytes: number): Promise<ResponseBody> {
  const { bytes, truncated } = await readCapped(response, maxBytes);
  const text = new TextDecoder().decode(bytes);
  if (truncated || text === '' || !saysJson(response.headers.get('content-type'))) return { body: text, truncated };
  try {
    return { body: JSON.parse(text) as unknown, truncated };
  } catch {
    // A server that labels something else as JSON: its text is still the most useful result.
    return { body: text, truncated };
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: concat(chunks, size), truncated: false };
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      await reader.cancel();
      return { bytes: concat(chunks, maxBytes), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
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
