/**
 * Live updates by Server-Sent Events: `change` with the customer's id whenever something about them is committed
 * (a new escalation, a message, a claim). Pages then fetch their live region again. `alert` follows when staff
 * should look now: a new escalation (everyone), or one transferred to this viewer; the page beeps and flashes
 * its title. A comment every 20 s keeps
 * proxies from closing an idle stream; an expired or ended session closes it, and so does the server's close
 * (an open stream would otherwise hold the server, and the process, open forever; the tab reconnects by itself).
 */
import type { FastifyInstance } from 'fastify';
import type { Activity } from '../../staff/activity.js';
import { sameName } from '../../staff/desk.js';
import type { Store } from '../../store/store.js';
import { requireStaff } from '../auth.js';
import type { Translate } from '../i18n/translate.js';

export interface Alert {
  customerId: number;
  kind: 'opened' | 'transferred';
  /** What the tab's title says meanwhile, in the shop's language. */
  title: string;
}

/**
 * The alerts of one stream: each escalation event worth one is announced once, and only events after the stream
 * opened (a reconnecting page refreshes; it does not beep for what it saw).
 */
function alerts(store: Store, viewer: string, t: Translate): (customerId: number) => Alert | undefined {
  const seenUpTo = store.escalations.latestEventId();
  const announced = new Set<number>();
  return (customerId) => {
    const escalation = store.escalations.current(customerId);
    const event = escalation && store.escalations.latestAlert(escalation.id);
    if (!event || event.id <= seenUpTo || announced.has(event.id)) return undefined;
    if (event.kind === 'transferred' && !sameName(event.target ?? '', viewer)) return undefined;
    announced.add(event.id);
    const title = event.kind === 'opened' ? t('alert.escalated') : t('alert.transferred', { name: event.actor ?? '' });
    return { customerId, kind: event.kind, title };
  };
}

const KEEP_ALIVE_MS = 20_000;

export function registerEvents(app: FastifyInstance, deps: { activity: Activity; store: Store; clock: () => number }): void {
  const open = new Set<NodeJS.WritableStream>();
  app.addHook('preClose', async () => open.forEach((stream) => stream.end()));
  app.register(async (scope) => {
    scope.addHook('onRequest', requireStaff);
    scope.get('/api/events', (request, reply) => {
      const token = request.sessionToken!;
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      stream.write('retry: 2000\n\n');
      open.add(stream);
      const alive = (): boolean => deps.store.webSessions.get(token, deps.clock()) !== undefined;
      const send = (chunk: string): void => {
        if (alive()) stream.write(chunk);
        else stream.end();
      };
      const alertFor = alerts(deps.store, request.staff!.name, request.locale.t);
      const unsubscribe = deps.activity.subscribe((customerId) => {
        send(`event: change\ndata: ${JSON.stringify({ customerId })}\n\n`);
        const alert = alertFor(customerId);
        if (alert) send(`event: alert\ndata: ${JSON.stringify(alert)}\n\n`);
      });
      const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
      stream.on('close', () => {
        open.delete(stream);
        unsubscribe();
        clearInterval(keepAlive);
      });
    });
  });
}
