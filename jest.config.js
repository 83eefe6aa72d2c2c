/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Fails any test after which Object.prototype (or another built-in prototype) gained a property.
  setupFilesAfterEnv: ['<rootDir>/test/support/prototype-guard.ts'],
  testTimeout: 180_000,
  maxWorkers: 2,
  verbose: true,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
