"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const eslint_1 = require("eslint");
const root = process.env.STP_REPO_ROOT ?? node_path_1.default.resolve(__dirname, '..', '..', '..');
(0, node_test_1.test)('the linter keeps workflows free of Node built-ins, pg and runtime activity imports', async () => {
    const eslint = new eslint_1.ESLint({ cwd: root, ignore: false });
    const file = node_path_1.default.join(root, 'test', 'lint-fixtures', 'workflows', 'impure.ts');
    const [result] = await eslint.lintText(node_fs_1.default.readFileSync(file, 'utf8'), { filePath: file });
    const messages = result.messages.map((m) => `${m.ruleId}: ${m.message}`);
    strict_1.default.ok(messages.some((m) => m.includes('no Node built-ins')), messages.join('\n'));
    strict_1.default.ok(messages.some((m) => m.includes('must not touch the database')), messages.join('\n'));
    strict_1.default.ok(messages.some((m) => m.includes('`import type` only')), messages.join('\n'));
    strict_1.default.ok(messages.some((m) => m.startsWith('@typescript-eslint/no-floating-promises')), messages.join('\n'));
});
//# sourceMappingURL=lint.test.js.map