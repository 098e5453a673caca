import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec, EncryptedPayloadGuard } from './aes-gcm';
import { loadCodecKeys } from './keys';

export { CodecKeyError, KEYS_FILE_VARIABLE, KEYS_VARIABLE, loadCodecKeys, type CodecKeys } from './keys';
export { AesGcmCodec, ENCRYPTED_ENCODING, EncryptedPayloadGuard, KEY_ID_METADATA, PayloadDecryptionError } from './aes-gcm';

/** The payload codec of STP_CODEC_KEYS / STP_CODEC_KEYS_FILE, or undefined when no key is set. */
export function codecFromEnv(env: NodeJS.ProcessEnv): AesGcmCodec | undefined {
  const keys = loadCodecKeys(env);
  return keys ? new AesGcmCodec(keys) : undefined;
}

/**
 * The data converter of worker, CLI and replayers: with a key set, payloads are encrypted and
 * failure messages are moved into an (encrypted) payload; without one, payloads stay in clear and
 * an encrypted one met is an error that says to set the key. The
 * failure converter is given by path because the workflow sandbox loads it by path.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv): DataConverter {
  const codec = codecFromEnv(env);
  return codec ? { payloadCodecs: [codec], failureConverterPath: require.resolve('./failure-converter') } : { payloadCodecs: [new EncryptedPayloadGuard()] };
}
