import crypto from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KEYS_FILE_VARIABLE, KEYS_VARIABLE, type CodecKeys } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload that cannot be decrypted: unknown key id, or a wrong key / tampered data. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

/**
 * AES-256-GCM over the whole serialized payload (its metadata too, so even the encoding is
 * hidden). The stored payload keeps two metadata fields in clear: the encoding
 * "binary/encrypted" and the key id, so any key listed can decrypt and old runs stay readable
 * after the current key changes. Data is IV (12 bytes) + ciphertext + tag (16 bytes).
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keys: CodecKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys.current;
    return payloads.map((payload) => {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) return payload;
      const id = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const entry = this.keys.byId.get(id);
      if (!entry) {
        throw new PayloadDecryptionError(`a payload is encrypted with key "${id}", which is not in ${KEYS_VARIABLE}/${KEYS_FILE_VARIABLE}: add that key (keep old keys listed after the current one).`);
      }
      const data = Buffer.from(payload.data ?? []);
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, IV_BYTES));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        return temporal.api.common.v1.Payload.decode(plain);
      } catch {
        throw new PayloadDecryptionError(`a payload encrypted with key "${id}" does not decrypt with the key of that id: the key was changed; restore the original key under that id.`);
      }
    });
  }
}

/**
 * The codec of a process without keys: payloads pass as they are, but an encrypted one fails with
 * what to set, instead of the converter's "Unknown encoding: binary/encrypted".
 */
export class EncryptedPayloadGuard implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    for (const payload of payloads) {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) continue;
      const id = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      throw new PayloadDecryptionError(`this run's payloads are encrypted (key "${id}") and ${KEYS_VARIABLE} is not set: set ${KEYS_VARIABLE} (or ${KEYS_FILE_VARIABLE}) to the worker's keys.`);
    }
    return payloads;
  }
}
