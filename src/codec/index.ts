/** The payload codec (encryption of everything Temporal stores) and the codec server that lets people read it. */
export { parseCodecKeys, type CodecKey } from './codec-keys';
export { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './encryption-codec';
export { codecDataConverter } from './data-converter';
export {
  browserOrigins,
  DEFAULT_CODEC_PORT,
  startCodecServer,
  type CodecServerOptions,
  type RunningCodecServer,
} from './codec-server';
