/**
 * A PayloadCodec that encrypts every payload with AES-256-GCM, so plan inputs, parameters, results, queries and
 * signals reach Temporal's history as ciphertext. The whole payload (its metadata too) is sealed; the outer metadata
 * says only that it is encrypted and with which key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ApplicationFailure, METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PAYLOAD_CODEC_ERROR } from '../plan/error-types';
import type { CodecKey } from './codec-keys';

/** The encoding of an encrypted payload; payloads with any other encoding pass through decoding untouched. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key naming the key that encrypted a payload. */
export const KEY_ID_METADATA = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const Proto = temporal.api.common.v1.Payload;

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, Buffer>;

  /** `keys[0]` encrypts; any of them decrypts. */
  constructor(private readonly keys: readonly CodecKey[]) {
    if (keys.length === 0) throw new Error('the encryption codec needs at least one key');
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(id),
      },
      data: encrypt(Proto.encode(payload).finish(), key),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Histories written before the codec was turned on stay readable.
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const id = text(payload.metadata?.[KEY_ID_METADATA]);
      const key = id === null ? undefined : this.byId.get(id);
      if (key === undefined) {
        throw ApplicationFailure.nonRetryable(
          `payload encrypted with key "${id ?? '(none)'}", which is not in PLAN_CODEC_KEYS; add it back to decrypt`,
          PAYLOAD_CODEC_ERROR,
        );
      }
      return Proto.decode(decrypt(payload.data ?? new Uint8Array(), key, id!)) as Payload;
    });
  }
}

function text(bytes: Uint8Array | null | undefined): string | null {
  return bytes ? Buffer.from(bytes).toString() : null;
}

/** iv | ciphertext | tag: GCM authenticates, so a payload altered in the history fails to decrypt instead of lying. */
function encrypt(plain: Uint8Array, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(sealed: Uint8Array, key: Buffer, id: string): Uint8Array {
  const data = Buffer.from(sealed);
  try {
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
    const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw ApplicationFailure.nonRetryable(
      `payload encrypted with key "${id}" does not decrypt: altered, or a different key under the same id`,
      PAYLOAD_CODEC_ERROR,
    );
  }
}
