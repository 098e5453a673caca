"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PayloadDecryptionError = exports.KEY_ID_METADATA = exports.EncryptedPayloadGuard = exports.ENCRYPTED_ENCODING = exports.AesGcmCodec = exports.loadCodecKeys = exports.KEYS_VARIABLE = exports.KEYS_FILE_VARIABLE = exports.CodecKeyError = void 0;
exports.codecFromEnv = codecFromEnv;
exports.dataConverterFromEnv = dataConverterFromEnv;
const aes_gcm_1 = require("./aes-gcm");
const keys_1 = require("./keys");
var keys_2 = require("./keys");
Object.defineProperty(exports, "CodecKeyError", { enumerable: true, get: function () { return keys_2.CodecKeyError; } });
Object.defineProperty(exports, "KEYS_FILE_VARIABLE", { enumerable: true, get: function () { return keys_2.KEYS_FILE_VARIABLE; } });
Object.defineProperty(exports, "KEYS_VARIABLE", { enumerable: true, get: function () { return keys_2.KEYS_VARIABLE; } });
Object.defineProperty(exports, "loadCodecKeys", { enumerable: true, get: function () { return keys_2.loadCodecKeys; } });
var aes_gcm_2 = require("./aes-gcm");
Object.defineProperty(exports, "AesGcmCodec", { enumerable: true, get: function () { return aes_gcm_2.AesGcmCodec; } });
Object.defineProperty(exports, "ENCRYPTED_ENCODING", { enumerable: true, get: function () { return aes_gcm_2.ENCRYPTED_ENCODING; } });
Object.defineProperty(exports, "EncryptedPayloadGuard", { enumerable: true, get: function () { return aes_gcm_2.EncryptedPayloadGuard; } });
Object.defineProperty(exports, "KEY_ID_METADATA", { enumerable: true, get: function () { return aes_gcm_2.KEY_ID_METADATA; } });
Object.defineProperty(exports, "PayloadDecryptionError", { enumerable: true, get: function () { return aes_gcm_2.PayloadDecryptionError; } });
/** The payload codec of STP_CODEC_KEYS / STP_CODEC_KEYS_FILE, or undefined when no key is set. */
function codecFromEnv(env) {
    const keys = (0, keys_1.loadCodecKeys)(env);
    return keys ? new aes_gcm_1.AesGcmCodec(keys) : undefined;
}
/**
 * The data converter of worker, CLI and replayers: with a key set, payloads are encrypted and
 * failure messages are moved into an (encrypted) payload; without one, payloads stay in clear and
 * an encrypted one met is an error that says to set the key. The
 * failure converter is given by path because the workflow sandbox loads it by path.
 */
function dataConverterFromEnv(env) {
    const codec = codecFromEnv(env);
    return codec ? { payloadCodecs: [codec], failureConverterPath: require.resolve('./failure-converter') } : { payloadCodecs: [new aes_gcm_1.EncryptedPayloadGuard()] };
}
//# sourceMappingURL=index.js.map