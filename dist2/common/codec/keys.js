"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.KEYS_FILE_VARIABLE = exports.KEYS_VARIABLE = exports.CodecKeyError = void 0;
exports.loadCodecKeys = loadCodecKeys;
const node_fs_1 = __importDefault(require("node:fs"));
/** A codec key setting that cannot be used; thrown before anything connects, naming the variable. */
class CodecKeyError extends Error {
    constructor(message) {
        super(message);
        this.name = 'CodecKeyError';
    }
}
exports.CodecKeyError = CodecKeyError;
exports.KEYS_VARIABLE = 'STP_CODEC_KEYS';
exports.KEYS_FILE_VARIABLE = 'STP_CODEC_KEYS_FILE';
const ID = /^[A-Za-z0-9._-]{1,64}$/;
const HOW = 'each entry is KEY_ID:BASE64_KEY, a key being 32 random bytes (`openssl rand -base64 32`)';
/**
 * Reads the codec keys from STP_CODEC_KEYS ("id:base64,id:base64", newest first) or from the file
 * STP_CODEC_KEYS_FILE (one "id:base64" a line, newest first, # comments). Undefined when neither
 * is set: payloads are then stored as plain JSON (and encrypted ones cannot be read).
 */
function loadCodecKeys(env) {
    const inline = env[exports.KEYS_VARIABLE]?.trim();
    const file = env[exports.KEYS_FILE_VARIABLE]?.trim();
    if (inline && file)
        throw new CodecKeyError(`both ${exports.KEYS_VARIABLE} and ${exports.KEYS_FILE_VARIABLE} are set: set only one.`);
    if (!inline && !file)
        return undefined;
    let text;
    let where;
    if (file) {
        where = `${exports.KEYS_FILE_VARIABLE}=${file}`;
        try {
            text = node_fs_1.default.readFileSync(file, 'utf8');
        }
        catch (err) {
            throw new CodecKeyError(`${where} cannot be read (${err.code}): point it at the key file (${HOW}).`);
        }
    }
    else {
        where = exports.KEYS_VARIABLE;
        text = inline;
    }
    const entries = text
        .split(file ? /\r?\n/ : ',')
        .map((l) => l.replace(/#.*$/, '').trim())
        .filter(Boolean);
    if (entries.length === 0)
        throw new CodecKeyError(`${where} has no key: ${HOW}.`);
    const byId = new Map();
    const keys = entries.map((entry, i) => {
        const colon = entry.indexOf(':');
        const id = colon < 0 ? '' : entry.slice(0, colon);
        const key = Buffer.from(colon < 0 ? '' : entry.slice(colon + 1), 'base64');
        // Never echo the entry: it holds the key.
        if (!ID.test(id))
            throw new CodecKeyError(`${where}, entry ${i + 1}: the key id must be 1-64 of A-Z a-z 0-9 . _ - before a colon; ${HOW}.`);
        if (key.length !== 32)
            throw new CodecKeyError(`${where}, key "${id}": expected 32 bytes in base64, got ${key.length}; ${HOW}.`);
        if (byId.has(id))
            throw new CodecKeyError(`${where}: key id "${id}" appears twice; give each key its own id.`);
        const k = { id, key };
        byId.set(id, k);
        return k;
    });
    return { current: keys[0], byId };
}
//# sourceMappingURL=keys.js.map