import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = process.env.STP_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..');

test('the linter keeps workflows free of Node built-ins, pg and runtime activity imports', async () => {
  const eslint = new ESLint({ cwd: root, ignore: false });
  const file = path.join(root, 'test', 'lint-fixtures', 'workflows', 'impure.ts');
  const [result] = await eslint.lintText(fs.readFileSync(file, 'utf8'), { filePath: file });
  const messages = result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  assert.ok(messages.some((m) => m.includes('no Node built-ins')), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('must not touch the database')), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('`import type` only')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('@typescript-eslint/no-floating-promises')), messages.join('\n'));
});
