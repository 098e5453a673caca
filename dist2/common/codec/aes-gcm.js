"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.EncryptedPayloadGuard = exports.AesGcmCodec = exports.PayloadDecryptionError = exports.KEY_ID_METADATA = exports.ENCRYPTED_ENCODING = void 0;
const node_crypto_1 = __importDefault(require("node:crypto"));
const proto_1 = require("@temporalio/proto");
const keys_1 = require("./keys");
exports.ENCRYPTED_ENCODING = 'binary/encrypted';
exports.KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A payload that cannot be decrypted: unknown key id, or a wrong key / tampered data. */
class PayloadDecryptionError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PayloadDecryptionError';
    }
}
exports.PayloadDecryptionError = PayloadDecryptionError;
/**
 * AES-256-GCM over the whole serialized payload (its metadata too, so even the encoding is
 * hidden). The stored payload keeps two metadata fields in clear: the encoding
 * "binary/encrypted" and the key id, so any key listed can decrypt and old runs stay readable
 * after the current key changes. Data is IV (12 bytes) + ciphertext + tag (16 bytes).
 */
class AesGcmCodec {
    keys;
    constructor(keys) {
        this.keys = keys;
    }
    async encode(payloads) {
        const { id, key } = this.keys.current;
        return payloads.map((payload) => {
            const iv = node_crypto_1.default.randomBytes(IV_BYTES);
            const cipher = node_crypto_1.default.createCipheriv('aes-256-gcm', key, iv);
            const plain = proto_1.temporal.api.common.v1.Payload.encode(payload).finish();
            const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
            return { metadata: { encoding: Buffer.from(exports.ENCRYPTED_ENCODING), [exports.KEY_ID_METADATA]: Buffer.from(id) }, data };
        });
    }
    async decode(payloads) {
        return payloads.map((payload) => {
            if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== exports.ENCRYPTED_ENCODING)
                return payload;
            const id = Buffer.from(payload.metadata?.[exports.KEY_ID_METADATA] ?? []).toString();
            const entry = this.keys.byId.get(id);
            if (!entry) {
                throw new PayloadDecryptionError(`a payload is encrypted with key "${id}", which is not in ${keys_1.KEYS_VARIABLE}/${keys_1.KEYS_FILE_VARIABLE}: add that key (keep old keys listed after the current one).`);
            }
            const data = Buffer.from(payload.data ?? []);
            try {
                const decipher = node_crypto_1.default.createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, IV_BYTES));
                decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
                const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
                return proto_1.temporal.api.common.v1.Payload.decode(plain);
            }
            catch {
                throw new PayloadDecryptionError(`a payload encrypted with key "${id}" does not decrypt with the key of that id: the key was changed; restore the original key under that id.`);
            }
        });
    }
}
exports.AesGcmCodec = AesGcmCodec;
/**
 * The codec of a process without keys: payloads pass as they are, but an encrypted one fails with
 * what to set, instead of the converter's "Unknown encoding: binary/encrypted".
 */
class EncryptedPayloadGuard {
    async encode(payloads) {
        return payloads;
    }
    async decode(payloads) {
        for (const payload of payloads) {
            if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== exports.ENCRYPTED_ENCODING)
                continue;
            const id = Buffer.from(payload.metadata?.[exports.KEY_ID_METADATA] ?? []).toString();
            throw new PayloadDecryptionError(`this run's payloads are encrypted (key "${id}") and ${keys_1.KEYS_VARIABLE} is not set: set ${keys_1.KEYS_VARIABLE} (or ${keys_1.KEYS_FILE_VARIABLE}) to the worker's keys.`);
        }
        return payloads;
    }
}
exports.EncryptedPayloadGuard = EncryptedPayloadGuard;
//# sourceMappingURL=aes-gcm.js.map