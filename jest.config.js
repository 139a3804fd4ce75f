/**
 * Jest runs TypeScript through SWC: TypeScript 7 (the native compiler) has no
 * ts-jest support, and type errors are caught by `npm run typecheck` instead,
 * so the transform only has to strip types, fast.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 20000,
  // Payment flows run real HTTP servers on loopback; two workers suit the 2-core CI machine.
  maxWorkers: 2,
};
