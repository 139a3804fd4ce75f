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
  // Bare imports inside TDesign (tslib, dayjs) resolve in its nested miniprogram_npm, as in DevTools.
  moduleDirectories: ['node_modules', 'miniprogram_npm'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    // TDesign ships ES modules in miniprogram_dist: DevTools compiles them, here SWC does.
    '/miniprogram_npm/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 20000,
  // Payment flows run real HTTP servers on loopback; two workers suit the 2-core CI machine.
  maxWorkers: 2,
};
