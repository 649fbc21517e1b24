/** One silent server (test/helpers/baileys.ts) for a whole test file; the file's temporary directories go with it. */
import { afterAll, beforeAll } from '@jest/globals';
import { silentServer } from './baileys.js';
import { removeTempDirs } from './temp.js';

/** The server's WebSocket address, once the file's tests run. */
export function silentServerPerFile(): () => string {
  let server: Awaited<ReturnType<typeof silentServer>>;
  beforeAll(async () => {
    server = await silentServer();
  });
  afterAll(async () => {
    await server.close();
    removeTempDirs();
  });
  return () => server.url;
}
