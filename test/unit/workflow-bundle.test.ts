import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeHash, prebuiltBundle } from '../../workers/bundle';

// The worker runs the bundle `npm run build` made only while the compiled code is the one it was
// made from; any other change (a tsc without the bundle step, an edited file) bundles at start.
test('a prebuilt workflow bundle is used only while the compiled code matches it', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-bundle-'));
  try {
    fs.mkdirSync(path.join(root, 'workflows'));
    fs.mkdirSync(path.join(root, 'test'));
    fs.mkdirSync(path.join(root, 'workflow-bundle'));
    fs.writeFileSync(path.join(root, 'workflows', 'index.js'), 'exports.a = 1;');
    fs.writeFileSync(path.join(root, 'workflow-bundle', 'plain.js'), '/* bundle */');
    fs.writeFileSync(path.join(root, 'workflow-bundle', 'plain.json'), JSON.stringify({ hash: codeHash(root) }));
    assert.deepEqual(prebuiltBundle(undefined, root), { code: '/* bundle */' });
    assert.equal(prebuiltBundle(undefined, path.join(root, 'missing')), undefined, 'no bundle: bundled at start');
    assert.equal(prebuiltBundle('/somewhere/else/converter.js', root), undefined, 'a converter the bundle does not hold');
    fs.writeFileSync(path.join(root, 'test', 'x.test.js'), 'changed tests do not matter');
    assert.ok(prebuiltBundle(undefined, root));
    fs.writeFileSync(path.join(root, 'workflows', 'index.js'), 'exports.a = 2;');
    assert.equal(prebuiltBundle(undefined, root), undefined, 'stale: the code changed since the bundle was made');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
