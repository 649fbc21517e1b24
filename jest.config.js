/** Jest with ts-jest's ESM preset; run under `node --experimental-vm-modules` (see package.json). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The reliability suite runs on its own: npm run test:reliability (jest.reliability.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/test/reliability/'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
};
