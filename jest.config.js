/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // esbuild strips the types (tsc --noEmit has type-checked every file before jest runs).
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // A worker per core (jest's default leaves one idle: a single worker on a 2-core machine). The
  // suites share one sandbox and Functions server (global-setup.ts) and use numbers of their own.
  maxWorkers: '100%',
  // The longest suites start first, so both workers stay busy to the end.
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  reporters: ['default', '<rootDir>/test/support/slowest-suites-reporter.js'],
};
