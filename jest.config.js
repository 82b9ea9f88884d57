// Two projects so that pure tests run without a stack, and the stack (one Temporal dev server,
// one throw-away database) starts only when an integration test is selected.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] };

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests mostly wait on servers, so two workers overlap well even on two cores; each worker is a
  // process of its own, so the Temporal runtime a test file starts ends with it.
  maxWorkers: 2,
  // Real servers: a plan with retries and timeouts takes seconds, not milliseconds. (Per-project values are ignored.)
  testTimeout: 30_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
