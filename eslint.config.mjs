// Lint rules that carry the house style (../shared/STYLE.md): typescript-eslint's strictest
// type-checked set, no `any`, no floating promises, exhaustive switches, no console, no enums,
// no default exports, no `as` casts (other than `as const`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The dependency rules of the house layout (../shared/STYLE.md, "Public surfaces"), as import bans.
// Services meet only in the contracts, the data layer and NATS subjects: never one another.
const SERVICES_APART = [
  { regex: '^@talk/(api|gateway|notifier)(/|$)', message: 'Services never import each other; share through @talk/shared contracts or the data layer.' },
  { regex: '^(\\.\\./)+(services|packages|api|gateway|notifier)(/|$)', message: 'Import another workspace by its package name, and never another service.' },
];
// A use case speaks in contracts, decisions and its own ports: no data layer, driver, bus or edge.
const DOMAIN_INWARD = [
  { regex: '^@talk/(?!shared/|decisions/)', message: 'The domain imports only contracts (@talk/shared), decisions (@talk/decisions) and its own ports (./ports).' },
  { regex: '^@talk/shared/(bus|config|health|http-server|lifecycle)$', message: 'Process plumbing belongs to start.ts and the adapters, not to the domain.' },
  { regex: '^(mongodb|@nats-io/.*|express|ws)$', message: 'Drivers and servers stay in the adapters and the edge; the domain gets a port.' },
  { regex: '^\\.\\./', message: 'The domain imports nothing outside domain/: the edge and the adapters depend on it, not the other way.' },
];
// The reference client is what a third party would write: the public contract and nothing else.
const CLIENT_CONTRACTS_ONLY = [
  { regex: '^@talk/(?!shared/(schemas|events|errors)$)', message: 'The client imports only the contracts: @talk/shared/schemas, events, errors.' },
  { regex: '^(mongodb|@nats-io/.*|express)$', message: 'The client talks to Talk over HTTP and WebSocket only.' },
  { regex: '^(\\.\\./)+(services|packages|shared|store|decisions|runtime)(/|$)', message: 'The client imports only the contracts, by package name.' },
];

// The console speaks only the public API, through the reference client and the contracts. Its
// socket (packages/client talk-socket over browser-connection) plugs in through src/live/ only.
const CONSOLE_PUBLIC_API_ONLY = [
  {
    regex: '^@talk/(?!client/(talk-api|accounts-api|http|errors|pages|talk-socket|browser-connection|frames|read-markers)$|shared/(schemas|events|errors)$)',
    message: 'The console uses the reference client\'s modules and the contracts only.',
  },
  { regex: '^(mongodb|@nats-io/.*|express|ws|node:.*)$', message: 'The console runs in a browser and speaks to Talk over HTTP and the browser WebSocket only.' },
];

// The data layer and the decisions connect to nothing: the runtime opens connections and wires them.
const LAYERS_CONNECT_NOTHING = [
  { regex: '^@talk/runtime(/|$)', message: 'Only a process edge (a service\'s start.ts, a command) opens the runtime; the data layer is handed its database.' },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', 'coverage/**', 'jest.config.js', 'jest.faults.config.js', 'jest.console.config.js', 'eslint.config.mjs', 'scripts/**/*.mjs', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json', './apps/console/test/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
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
    files: ['services/*/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: SERVICES_APART }] },
  },
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...SERVICES_APART, ...DOMAIN_INWARD] }] },
  },
  {
    files: ['packages/store/src/**/*.ts', 'packages/decisions/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: LAYERS_CONNECT_NOTHING }] },
  },
  {
    files: ['packages/client/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: CLIENT_CONTRACTS_ONLY }] },
  },
  {
    // The console is a browser app with its own compiler settings (DOM, JSX, bundler resolution).
    files: ['apps/console/src/**/*.{ts,tsx}', 'apps/console/vite.config.mts', 'apps/console/build/**/*.mts'],
    languageOptions: {
      parserOptions: { project: ['./apps/console/tsconfig.json', './apps/console/tsconfig.node.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['apps/console/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: CONSOLE_PUBLIC_API_ONLY }] },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'services/*/test/**/*.ts', 'apps/console/test/**/*.ts'],
    rules: {
      // Tests narrow fixture tuples; the assertion is checked by the test's first use.
      '@typescript-eslint/consistent-type-assertions': 'off',
    },
  },
);
