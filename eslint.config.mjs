// ESLint (flat config) with typescript-eslint's recommended rules over the whole TypeScript tree; formatting is
// Prettier's (.prettierrc.json). `npm run lint` runs both checks; CI runs it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.e2e-tools/**', 'test-output/**', 'test/e2e/workspace/**', '**/*.js', '**/*.mjs', 'server/engine/validators.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // The compiler checks unused names (noUnusedLocals); `_`-prefixed parameters are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Tests and scripts load a few CommonJS modules on demand.
      '@typescript-eslint/no-require-imports': 'off',
      // Untrusted text is searched for control characters on purpose (URLs, FTP commands, YAML scalars).
      'no-control-regex': 'off',
    },
  },
);
