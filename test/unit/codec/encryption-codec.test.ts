import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { EncryptionCodec, ENCRYPTED_ENCODING, parseCodecKeys, type CodecKey } from '../../../src/codec';
import { PAYLOAD_CODEC_ERROR } from '../../../src/plan/error-types';

const key = (id: string): CodecKey => ({ id, key: randomBytes(32) });
const old = key('k0');
const current = key('k1');
const SECRET = 'hunter2-very-secret';

function text(payload: Payload): string {
  return Buffer.from(payload.data ?? []).toString() + JSON.stringify(payload.metadata ?? {});
}

describe('parseCodecKeys', () => {
  it('reads id:base64 pairs in order, the first encrypting', () => {
    const list = `k1:${current.key.toString('base64')}, k0:${old.key.toString('base64')}`;
    expect(parseCodecKeys(list).map((k) => k.id)).toEqual(['k1', 'k0']);
    expect(parseCodecKeys('')).toEqual([]);
  });

  it('refuses short keys, missing ids and duplicates without echoing the key', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseCodecKeys(`k1:${short}`)).toThrow(/key "k1" is not 32 bytes/);
    // A string, not a RegExp: base64 has "+" and "/", which a pattern would misread.
    expect(() => parseCodecKeys(`k1:${short}`)).not.toThrow(short.slice(0, 8));
    expect(() => parseCodecKeys(current.key.toString('base64'))).toThrow(/no valid id/);
    const one = `k1:${current.key.toString('base64')}`;
    expect(() => parseCodecKeys(`${one},${one}`)).toThrow(/listed twice/);
  });
});

describe('EncryptionCodec', () => {
  const plain = defaultPayloadConverter.toPayload({ password: SECRET });

  it('encrypts with the first key: nothing of the value or its encoding is left in clear', async () => {
    const [sealed] = await new EncryptionCodec([current, old]).encode([plain]);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString()).toBe('k1');
    expect(text(sealed!)).not.toContain(SECRET);
    expect(text(sealed!)).not.toContain('json/plain');
  });

  it('decrypts what an old key encrypted once rotated, and refuses when the key is gone', async () => {
    const [byOld] = await new EncryptionCodec([old]).encode([plain]);
    const [back] = await new EncryptionCodec([current, old]).decode([byOld!]);
    expect(defaultPayloadConverter.fromPayload(back!)).toEqual({ password: SECRET });
    const refused = new EncryptionCodec([current]).decode([byOld!]);
    await expect(refused).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(refused).rejects.toMatchObject({ type: PAYLOAD_CODEC_ERROR, nonRetryable: true });
    await expect(refused).rejects.toThrow(/key "k0", which is not in PLAN_CODEC_KEYS/);
  });

  it('passes payloads without its encoding through, so histories from before still read', async () => {
    expect(await new EncryptionCodec([current]).decode([plain])).toEqual([plain]);
  });

  it('refuses an altered payload instead of decrypting garbage', async () => {
    const [sealed] = await new EncryptionCodec([current]).encode([plain]);
    const data = Buffer.from(sealed!.data!);
    data[20] ^= 1;
    await expect(new EncryptionCodec([current]).decode([{ ...sealed!, data }])).rejects.toMatchObject({
      type: PAYLOAD_CODEC_ERROR,
    });
  });
});
