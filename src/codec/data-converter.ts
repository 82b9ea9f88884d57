import type { DataConverter } from '@temporalio/common';
import type { CodecKey } from './codec-keys';
import { EncryptionCodec } from './encryption-codec';

/**
 * The data converter every client and worker of a deployment must share: encrypting when keys are configured,
 * Temporal's default (undefined) otherwise.
 */
export function codecDataConverter(keys: readonly CodecKey[]): DataConverter | undefined {
  return keys.length === 0 ? undefined : { payloadCodecs: [new EncryptionCodec(keys)] };
}
