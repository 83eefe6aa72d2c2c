/**
 * `npm run test:cluster`: the production topology (test/cluster/*.cluster.ts). Each file starts
 * the Temporal server proper and baocao's processes itself, so there is no global setup; one file
 * at a time (they are heavy on a small machine).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFilesAfterEnv: ['<rootDir>/test/support/prototype-guard.ts'],
  testTimeout: 1_200_000,
  maxWorkers: 1,
  verbose: true,
};
