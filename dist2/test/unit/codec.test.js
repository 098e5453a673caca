"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const common_1 = require("@temporalio/common");
const codec_1 = require("../../common/codec");
const key = () => node_crypto_1.default.randomBytes(32).toString('base64');
const plan = { database: 'secret_db_name', legacy: { chunks: 'chunks_legacy' }, defect: 'c0ffee00-0000-4000-8000-000000000001' };
(0, node_test_1.test)('no key set: no codec', () => {
    strict_1.default.equal((0, codec_1.loadCodecKeys)({}), undefined);
});
(0, node_test_1.test)('round trip: the stored payload holds no plaintext, only the encoding and the key id', async () => {
    const codec = new codec_1.AesGcmCodec((0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS: `k2026:${key()}` }));
    const [stored] = await codec.encode([common_1.defaultPayloadConverter.toPayload(plan)]);
    strict_1.default.equal(Buffer.from(stored.metadata.encoding).toString(), codec_1.ENCRYPTED_ENCODING);
    strict_1.default.equal(Buffer.from(stored.metadata['encryption-key-id']).toString(), 'k2026');
    const raw = Buffer.from(stored.data).toString('latin1');
    for (const s of ['secret_db_name', 'chunks_legacy', 'c0ffee00', 'json/plain'])
        strict_1.default.ok(!raw.includes(s), s);
    const [back] = await codec.decode([stored]);
    strict_1.default.deepEqual(common_1.defaultPayloadConverter.fromPayload(back), plan);
    // Same plaintext, new IV: two encodings differ.
    const [again] = await codec.encode([common_1.defaultPayloadConverter.toPayload(plan)]);
    strict_1.default.notDeepEqual(Buffer.from(again.data), Buffer.from(stored.data));
});
(0, node_test_1.test)('rotation: a new current key, the old one listed after it, still decrypts old payloads; a payload without encryption passes', async () => {
    const oldKey = key();
    const before = new codec_1.AesGcmCodec((0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS: `old:${oldKey}` }));
    const [stored] = await before.encode([common_1.defaultPayloadConverter.toPayload(plan)]);
    const after = new codec_1.AesGcmCodec((0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS: `new:${key()},old:${oldKey}` }));
    strict_1.default.deepEqual(common_1.defaultPayloadConverter.fromPayload((await after.decode([stored]))[0]), plan);
    const [fresh] = await after.encode([common_1.defaultPayloadConverter.toPayload(1)]);
    strict_1.default.equal(Buffer.from(fresh.metadata['encryption-key-id']).toString(), 'new');
    const clear = common_1.defaultPayloadConverter.toPayload('clear');
    strict_1.default.deepEqual((await after.decode([clear]))[0], clear);
});
(0, node_test_1.test)('a missing key id or a different key under the same id: a named error, never garbage', async () => {
    const [stored] = await new codec_1.AesGcmCodec((0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS: `k1:${key()}` })).encode([common_1.defaultPayloadConverter.toPayload(plan)]);
    await strict_1.default.rejects(new codec_1.AesGcmCodec((0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS: `k2:${key()}` })).decode([stored]), (e) => e instanceof codec_1.PayloadDecryptionError && /key "k1"/.test(e.message) && /STP_CODEC_KEYS/.test(e.message));
    await strict_1.default.rejects(new codec_1.AesGcmCodec((0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS: `k1:${key()}` })).decode([stored]), /does not decrypt/);
});
(0, node_test_1.test)('without keys: clear payloads pass, an encrypted one says to set STP_CODEC_KEYS', async () => {
    const clear = common_1.defaultPayloadConverter.toPayload(plan);
    const guard = new codec_1.EncryptedPayloadGuard();
    strict_1.default.deepEqual(await guard.encode([clear]), [clear]);
    strict_1.default.deepEqual(await guard.decode([clear]), [clear]);
    const [stored] = await new codec_1.AesGcmCodec((0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS: `k9:${key()}` })).encode([clear]);
    await strict_1.default.rejects(guard.decode([stored]), (e) => e instanceof codec_1.PayloadDecryptionError && /key "k9".*set STP_CODEC_KEYS/.test(e.message));
});
(0, node_test_1.test)('keys from a file (newest first, comments), and bad settings named without echoing the key', () => {
    const dir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-codec-'));
    const file = node_path_1.default.join(dir, 'keys');
    node_fs_1.default.writeFileSync(file, `# rotated 2026-12\nnew:${key()}\n\nold:${key()}  # keep until old runs are gone\n`);
    const keys = (0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS_FILE: file });
    strict_1.default.equal(keys.current.id, 'new');
    strict_1.default.deepEqual([...keys.byId.keys()], ['new', 'old']);
    const short = Buffer.alloc(16, 7).toString('base64');
    const bad = [
        [{ STP_CODEC_KEYS: `k1:${short}` }, /STP_CODEC_KEYS, key "k1": expected 32 bytes in base64, got 16/],
        [{ STP_CODEC_KEYS: short }, /key id must be/],
        [{ STP_CODEC_KEYS: `a:${key()},a:${key()}` }, /"a" appears twice/],
        [{ STP_CODEC_KEYS_FILE: node_path_1.default.join(dir, 'missing') }, /STP_CODEC_KEYS_FILE=.*cannot be read \(ENOENT\)/],
        [{ STP_CODEC_KEYS: `a:${key()}`, STP_CODEC_KEYS_FILE: file }, /only one/],
        [{ STP_CODEC_KEYS: ' , ' }, /no key/],
    ];
    for (const [env, re] of bad) {
        strict_1.default.throws(() => (0, codec_1.loadCodecKeys)(env), (e) => e instanceof codec_1.CodecKeyError && re.test(e.message) && !e.message.includes(short), String(re));
    }
    node_fs_1.default.rmSync(dir, { recursive: true, force: true });
});
//# sourceMappingURL=codec.test.js.map