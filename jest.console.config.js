// The console's browser tests (apps/console/test/*.browser.test.ts): Chromium driven by
// playwright-core against the real services in-process behind nginx, which serves the console's
// build. `npm run test:console` builds the console first.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/apps/console/test/tsconfig.json' }] },
  moduleNameMapper: { '^@talk/(shared|decisions|store|runtime|client)/(.*)$': '<rootDir>/packages/$1/src/$2' },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  testMatch: ['<rootDir>/apps/console/test/**/*.browser.test.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // A browser on a shared 2-core machine: one suite at a time, each step given time.
  maxWorkers: 1,
  testTimeout: 90_000,
};
