// Lint: floating promises are errors everywhere; workflows/ stays deterministic (no Node built-ins,
// no pg/pgvector, activities only as types) — see ../shared/STYLE.md.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', '**/*.mjs', '**/*.js', 'test/lint-fixtures/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['**/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'workflows must be deterministic: no Node built-ins' })),
            { name: 'pg', message: 'workflows must not touch the database: use an activity' },
            { name: 'pgvector', message: 'workflows must not touch the database: use an activity' },
            { name: 'pgvector/pg', message: 'workflows must not touch the database: use an activity' },
          ],
          patterns: [
            { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'import activities with `import type` only' },
            { group: ['**/workers/**', '**/client/**', '@temporalio/worker', '@temporalio/client'], message: 'workflows run in the sandbox: no worker/client code' },
          ],
        },
      ],
    },
  },
);
