// Lint rules that carry the house style (../shared/STYLE.md): typescript-eslint's strictest
// type-checked set, no `any`, no floating promises, exhaustive switches, no console, no enums,
// no default exports, no `as` casts (other than `as const`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', 'coverage/**', 'jest.config.js', 'jest.faults.config.js', 'eslint.config.mjs', 'scripts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union of string literals or z.enum, not enum.' },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // API routes are registered only from the catalogue, so the OpenAPI document lists them all.
    files: ['services/api/src/http/**/*.ts'],
    ignores: ['services/api/src/http/register.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union of string literals or z.enum, not enum.' },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        {
          selector: "CallExpression[callee.object.name=/^(router|v1)$/][callee.property.name=/^(get|post|put|patch|delete|all)$/]",
          message: 'Register API routes with on(router, ROUTES.x, handler) so that the OpenAPI document lists them.',
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'services/*/test/**/*.ts'],
    rules: {
      // Tests narrow fixture tuples; the assertion is checked by the test's first use.
      '@typescript-eslint/consistent-type-assertions': 'off',
    },
  },
);
