// The fault-injection suite (`npm run test:faults`): separate from `npm test` because it starts
// its own process topology and takes a few minutes. Same transform and servers as the
// integration project in jest.config.js.
const base = require('./jest.config.js');

const integration = base.projects.find((project) => project.displayName === 'integration');

/** @type {import('jest').Config} */
module.exports = {
  ...integration,
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.faults.test.ts'],
  rootDir: __dirname,
  testTimeout: 120_000,
  // One case at a time: each takes the whole machine.
  maxWorkers: 1,
};
