/** The encryption keys of the payload codec: `id:<base64 of 32 bytes>` pairs, the first one encrypts. */

/** One AES-256 key and the id written beside everything it encrypts, so a later key list still finds it. */
export interface CodecKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const KEY_BYTES = 32;

/**
 * Parses `id1:<base64>,id0:<base64>` (PLAN_CODEC_KEYS). The first key encrypts; every key decrypts, so an old key stays
 * listed after a rotation until no history needs it. A malformed list is an error naming `source` and the bad entry.
 */
export function parseCodecKeys(text: string, source = 'PLAN_CODEC_KEYS'): CodecKey[] {
  const keys: CodecKey[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const id = colon < 0 ? entry : entry.slice(0, colon);
    // The key itself is never echoed: an error message may end up in a log.
    const expected = `${source}: each entry is <id>:<base64 of ${KEY_BYTES} random bytes>, e.g. "k1:$(openssl rand -base64 32)"`;
    if (colon < 0 || !KEY_ID.test(id)) throw new Error(`${expected}; entry ${keys.length + 1} has no valid id`);
    const encoded = entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
      throw new Error(`${expected}; key "${id}" is not ${KEY_BYTES} bytes of base64`);
    }
    if (keys.some((known) => known.id === id)) throw new Error(`${source}: key id "${id}" is listed twice`);
    keys.push({ id, key });
  }
  return keys;
}
