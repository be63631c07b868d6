// Two projects: `unit` (pure logic beside the code, no servers; scripts/ too; and the console's pure
// modules, whose tests sit in apps/console/test/unit rather than beside them, so that the browser
// build's tsconfig (apps/console/tsconfig.json, include: src) never compiles them) and `integration` (per-package
// *.int.test.ts and cross-service *.e2e.test.ts against real MongoDB-compatible and NATS servers,
// which test/setup/global-setup.ts finds or starts).
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  moduleNameMapper: { '^@talk/(shared|decisions|store|runtime|client)/(.*)$': '<rootDir>/packages/$1/src/$2' },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{packages,services}/*/src/**/*.test.ts', '<rootDir>/test/support/**/*.test.ts', '<rootDir>/scripts/*.test.ts', '<rootDir>/apps/console/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages,services}/*/test/**/*.int.test.ts', '<rootDir>/test/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
  // Real servers and real processes: generous, since a slow CI machine is not a failure.
  testTimeout: 30_000,
};
