/**
 * The staff inbox next to `setia chat`, so an owner can try an escalation end to end without a phone: the chat's
 * customer escalates in the terminal, the conversation appears in the browser, and the reply comes back in the
 * terminal. It logs in with a one-time password for a local "chat" owner account, printed in the terminal.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { FlowSet } from '../core/flow/types.js';
import type { LocalShop } from '../simulator/local-shop.js';
import type { Activity } from '../staff/activity.js';
import { hashPassword } from '../staff/password.js';
import type { Store } from '../store/store.js';
import { shopReport } from '../web/pages/report.js';
import { shopRootOf } from '../flows/load.js';
import { buildWebServer } from '../web/server.js';
import { readStatus } from './status.js';

export const CHAT_ACCOUNT = 'chat';

export interface ChatInboxOptions {
  store: Store;
  shop: LocalShop;
  activity: Activity;
  flows: () => FlowSet;
  log: Logger;
  dbPath: string;
  flowsDir: string;
  port: number;
  host: string;
}

export interface ChatInbox {
  app: FastifyInstance;
  url: string;
  password: string;
}

/** A fresh password for the local account at every start: the last chat's password opens nothing. */
async function chatAccount(store: Store, now: number): Promise<string> {
  const password = randomBytes(9).toString('base64url');
  const hash = await hashPassword(password);
  store.transaction(() => {
    if (!store.staffAccounts.setPassword(CHAT_ACCOUNT, hash)) store.staffAccounts.add(CHAT_ACCOUNT, 'owner', hash, now);
  });
  return password;
}

export async function startChatInbox(options: ChatInboxOptions): Promise<ChatInbox> {
  const { store, shop, flows } = options;
  const password = await chatAccount(store, Date.now());
  const app = await buildWebServer({
    store,
    desk: shop.desk,
    activity: options.activity,
    flows,
    mediaRoot: shopRootOf(options.flowsDir),
    clock: () => shop.now(),
    log: options.log,
    baseUrl: `http://localhost:${options.port}`,
    health: async () => ({ whatsapp: true, redis: null }),
    owner: {
      status: () => readStatus(options.dbPath, options.flowsDir, shop.now()),
      qrFile: null,
      pairingCode: () => null,
      report: (now) => shopReport(store, flows(), now),
      queues: [],
    },
  });
  const url = await listenNearby(app, options.port, options.host);
  return { app, url, password };
}

/** The configured port, or any free one when the bot itself already uses it. */
async function listenNearby(app: FastifyInstance, port: number, host: string): Promise<string> {
  try {
    return await app.listen({ port, host });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return app.listen({ port: 0, host });
  }
}
