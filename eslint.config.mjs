// ESLint (flat config): a small rule set that fits the code as it is.
//   - no unused code (variables, imports, parameters not prefixed with _)
//   - type-only imports written as `import type` / `import { type X }`
//   - no floating promises in the language server and client (an unhandled rejection there is a
//     silent failure in the editor)
//   - one indentation style for the whole repository: two spaces, no tabs
// Runs inside `npm test` (scripts/run-tests.mjs) and on its own as `npm run lint`.
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', '**/out/', 'test/fixtures/', 'test/vscode/workspace/', '.vscode-test/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.{ts,mjs,js}'],
    plugins: { '@stylistic': stylistic },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        setImmediate: 'readonly', queueMicrotask: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
        performance: 'readonly', fetch: 'readonly', AbortController: 'readonly', structuredClone: 'readonly',
        __dirname: 'readonly', require: 'readonly', module: 'writable', globalThis: 'readonly',
      },
    },
    rules: {
      '@stylistic/no-tabs': 'error',
      '@stylistic/indent': ['error', 2, {
        SwitchCase: 1,
        // continuation lines are aligned by hand in places (ternaries, long conditions, call chains)
        ignoredNodes: ['ConditionalExpression', 'CallExpression > MemberExpression', 'BinaryExpression', 'LogicalExpression', 'TemplateLiteral *'],
        offsetTernaryExpressions: true,
      }],
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    // type-aware rules only where they matter: the processes that run inside the editor
    files: ['server/src/**/*.ts', 'client/src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
);
