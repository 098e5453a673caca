import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec, CodecKeyError, ENCRYPTED_ENCODING, EncryptedPayloadGuard, loadCodecKeys, PayloadDecryptionError } from '../../common/codec';

const key = () => crypto.randomBytes(32).toString('base64');
const plan = { database: 'secret_db_name', legacy: { chunks: 'chunks_legacy' }, defect: 'c0ffee00-0000-4000-8000-000000000001' };

test('no key set: no codec', () => {
  assert.equal(loadCodecKeys({}), undefined);
});

test('round trip: the stored payload holds no plaintext, only the encoding and the key id', async () => {
  const codec = new AesGcmCodec(loadCodecKeys({ STP_CODEC_KEYS: `k2026:${key()}` })!);
  const [stored] = await codec.encode([defaultPayloadConverter.toPayload(plan)]);
  assert.equal(Buffer.from(stored!.metadata!.encoding!).toString(), ENCRYPTED_ENCODING);
  assert.equal(Buffer.from(stored!.metadata!['encryption-key-id']!).toString(), 'k2026');
  const raw = Buffer.from(stored!.data!).toString('latin1');
  for (const s of ['secret_db_name', 'chunks_legacy', 'c0ffee00', 'json/plain']) assert.ok(!raw.includes(s), s);
  const [back] = await codec.decode([stored!]);
  assert.deepEqual(defaultPayloadConverter.fromPayload(back!), plan);
  // Same plaintext, new IV: two encodings differ.
  const [again] = await codec.encode([defaultPayloadConverter.toPayload(plan)]);
  assert.notDeepEqual(Buffer.from(again!.data!), Buffer.from(stored!.data!));
});

test('rotation: a new current key, the old one listed after it, still decrypts old payloads; a payload without encryption passes', async () => {
  const oldKey = key();
  const before = new AesGcmCodec(loadCodecKeys({ STP_CODEC_KEYS: `old:${oldKey}` })!);
  const [stored] = await before.encode([defaultPayloadConverter.toPayload(plan)]);
  const after = new AesGcmCodec(loadCodecKeys({ STP_CODEC_KEYS: `new:${key()},old:${oldKey}` })!);
  assert.deepEqual(defaultPayloadConverter.fromPayload((await after.decode([stored!]))[0]!), plan);
  const [fresh] = await after.encode([defaultPayloadConverter.toPayload(1)]);
  assert.equal(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString(), 'new');
  const clear = defaultPayloadConverter.toPayload('clear');
  assert.deepEqual((await after.decode([clear]))[0], clear);
});

test('a missing key id or a different key under the same id: a named error, never garbage', async () => {
  const [stored] = await new AesGcmCodec(loadCodecKeys({ STP_CODEC_KEYS: `k1:${key()}` })!).encode([defaultPayloadConverter.toPayload(plan)]);
  await assert.rejects(new AesGcmCodec(loadCodecKeys({ STP_CODEC_KEYS: `k2:${key()}` })!).decode([stored!]), (e: Error) => e instanceof PayloadDecryptionError && /key "k1"/.test(e.message) && /STP_CODEC_KEYS/.test(e.message));
  await assert.rejects(new AesGcmCodec(loadCodecKeys({ STP_CODEC_KEYS: `k1:${key()}` })!).decode([stored!]), /does not decrypt/);
});

test('without keys: clear payloads pass, an encrypted one says to set STP_CODEC_KEYS', async () => {
  const clear = defaultPayloadConverter.toPayload(plan);
  const guard = new EncryptedPayloadGuard();
  assert.deepEqual(await guard.encode([clear]), [clear]);
  assert.deepEqual(await guard.decode([clear]), [clear]);
  const [stored] = await new AesGcmCodec(loadCodecKeys({ STP_CODEC_KEYS: `k9:${key()}` })!).encode([clear]);
  await assert.rejects(guard.decode([stored!]), (e: Error) => e instanceof PayloadDecryptionError && /key "k9".*set STP_CODEC_KEYS/.test(e.message));
});

test('keys from a file (newest first, comments), and bad settings named without echoing the key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-codec-'));
  const file = path.join(dir, 'keys');
  fs.writeFileSync(file, `# rotated 2026-12\nnew:${key()}\n\nold:${key()}  # keep until old runs are gone\n`);
  const keys = loadCodecKeys({ STP_CODEC_KEYS_FILE: file })!;
  assert.equal(keys.current.id, 'new');
  assert.deepEqual([...keys.byId.keys()], ['new', 'old']);
  const short = Buffer.alloc(16, 7).toString('base64');
  const bad: [NodeJS.ProcessEnv, RegExp][] = [
    [{ STP_CODEC_KEYS: `k1:${short}` }, /STP_CODEC_KEYS, key "k1": expected 32 bytes in base64, got 16/],
    [{ STP_CODEC_KEYS: short }, /key id must be/],
    [{ STP_CODEC_KEYS: `a:${key()},a:${key()}` }, /"a" appears twice/],
    [{ STP_CODEC_KEYS_FILE: path.join(dir, 'missing') }, /STP_CODEC_KEYS_FILE=.*cannot be read \(ENOENT\)/],
    [{ STP_CODEC_KEYS: `a:${key()}`, STP_CODEC_KEYS_FILE: file }, /only one/],
    [{ STP_CODEC_KEYS: ' , ' }, /no key/],
  ];
  for (const [env, re] of bad) {
    assert.throws(() => loadCodecKeys(env), (e: Error) => e instanceof CodecKeyError && re.test(e.message) && !e.message.includes(short), String(re));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
