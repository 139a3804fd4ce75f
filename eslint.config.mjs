// Lint: typescript-eslint's recommended rules on every TypeScript file; type errors are
// `tsc`'s job (npm run typecheck), so linting stays fast and syntax-only.
import tseslint from 'typescript-eslint';
import architecture from './scripts/lint/layers.mjs';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'cloudfunctions/*/index.js',
      'miniprogram/**/*.js',
      '.data/**',
      'coverage/**',
      'test-artifacts/**',
      'local/console/**/*.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // server/ is layered: imports point down only (scripts/lint/layers.mjs).
    files: ['server/**/*.ts'],
    plugins: { architecture },
    rules: { 'architecture/layers': 'error' },
  },
  {
    // Tests drive untyped simulators (miniprogram-simulate, j-component) and JSON replies.
    files: ['test/**/*.ts', 'typings/**/*.d.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
