/**
 * Owners' pages: linking and the report at /owner, the linking QR as an image, and BullMQ's dashboard
 * (@bull-board) at /admin/queues. Staff accounts get 403 here.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { BotStatus } from '../../cli/status.js';
import { requireOwner } from '../auth.js';
import { registerAccountRoutes, type ShowOwnerPage } from './accounts.js';
import { html, type Html } from '../html.js';
import { accountsSection, type AccountNotice } from '../pages/accounts.js';
import { linkingSection } from '../pages/owner.js';
import { sendPage } from '../send-page.js';
import { unreadCount } from '../views.js';
import type { Store } from '../../store/store.js';

export interface OwnerRoutesDeps {
  store: Store;
  clock: () => number;
  status: () => BotStatus;
  /** Where the linking QR image is written while a QR waits to be scanned. */
  qrFile: string | null;
  pairingCode: () => string | null;
  /** The shop report for the owner's page. */
  report: (now: number) => Html;
  /** The BullMQ queues for the dashboard; empty while Redis is off. */
  queues: Queue[];
}

const QUEUE_DASHBOARD = '/admin/queues';
const AUDIT_LINES = 20;

export async function registerOwnerRoutes(app: FastifyInstance, deps: OwnerRoutesDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', requireOwner);

    const show: ShowOwnerPage = (request, reply, notice?: AccountNotice) => {
      const now = deps.clock();
      const linking = linkingSection({ status: deps.status(), qr: deps.qrFile !== null && existsSync(deps.qrFile), pairingCode: deps.pairingCode() }, request.locale.t);
      const live = html`${linking}${deps.report(now)}`;
      const accounts = accountsSection({ accounts: deps.store.staffAccounts.all(), audit: deps.store.audit.recent(AUDIT_LINES), notice }, request.staff!, request.locale, now);
      // A one-time password must not be kept by the browser's cache or history.
      return sendPage(request, reply.header('cache-control', 'no-store'), { title: request.locale.t('owner.title'), unread: unreadCount(deps.store), live, after: accounts });
    };
    scope.get('/owner', async (request, reply) => show(request, reply));
    registerAccountRoutes(scope, deps, show);

    scope.get('/owner/qr.png', async (request, reply) => {
      if (!deps.qrFile || !existsSync(deps.qrFile)) return reply.code(404).send({ error: request.locale.t('owner.noQr') });
      return reply.type('image/png').header('cache-control', 'no-store').send(await readFile(deps.qrFile));
    });

    await registerQueueDashboard(scope, deps.queues);
  });
}

async function registerQueueDashboard(scope: FastifyInstance, queues: Queue[]): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })), serverAdapter });
  await scope.register(async (board) => {
    // The dashboard's React UI sets inline styles; the rest of the inbox keeps the strict policy.
    board.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD });
  });
}
