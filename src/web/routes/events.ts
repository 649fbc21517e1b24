/**
 * Live updates by Server-Sent Events: `change` with the customer's id whenever something about them is committed
 * (a new escalation, a message, a claim). Pages then fetch their live region again. A comment every 20 s keeps
 * proxies from closing an idle stream; an expired or ended session closes it, and so does the server's close
 * (an open stream would otherwise hold the server, and the process, open forever; the tab reconnects by itself).
 */
import type { FastifyInstance } from 'fastify';
import type { Activity } from '../../staff/activity.js';
import type { Store } from '../../store/store.js';
import { requireStaff } from '../auth.js';

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
      const unsubscribe = deps.activity.subscribe((customerId) => send(`event: change\ndata: ${JSON.stringify({ customerId })}\n\n`));
      const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
      stream.on('close', () => {
        open.delete(stream);
        unsubscribe();
        clearInterval(keepAlive);
      });
    });
  });
}
