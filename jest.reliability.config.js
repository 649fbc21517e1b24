/**
 * The reliability suite (`npm run test:reliability`, issue 6): crashes, outages, fast customers, bad input and
 * secrets in logs, on real SQLite files, a private redis-server and real Baileys sockets. Same transform as
 * jest.config.js; its own root, one test file at a time (the tests time real outages and measure memory), and a
 * long timeout. See docs/reliability.md.
 */
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/test/reliability'],
  // jest.config.js ignores test/reliability for `npm test`; this suite must not inherit that.
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 240_000,
  maxWorkers: 1,
};
