/**
 * The reliability suite (`npm run test:reliability`, issue 6): crashes, outages, fast customers, bad input and
 * secrets in logs, on real SQLite files, private redis-servers and real Baileys sockets. Same transform as
 * jest.config.js, its own root and a long timeout. Two test files at a time: the outage tests mostly wait on real
 * clocks while the crash and fuzz tests work their child processes. See docs/reliability.md.
 */
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/test/reliability'],
  // jest.config.js ignores test/reliability for `npm test`; this suite must not inherit that.
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 240_000,
  maxWorkers: 2,
};
