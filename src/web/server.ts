/**
 * The staff inbox (Fastify): login, the inbox and conversation pages, the JSON API, live updates, the owners'
 * pages, and /healthz. Strict Content-Security-Policy: scripts and styles only from /static, nothing inline,
 * so even markup that slipped through could not run.
 */
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { FlowSet } from '../core/flow/types.js';
import type { Activity } from '../staff/activity.js';
import type { StaffDesk } from '../staff/desk.js';
import type { Store } from '../store/store.js';
import { DEFAULT_SESSION_TTL_MS, registerAuth } from './auth.js';
import { registerLocale } from './locale.js';
import type { ThrottleLimits } from './login-throttle.js';
import { registerConversationRoutes } from './routes/conversations.js';
import { registerEvents } from './routes/events.js';
import { registerMediaRoutes } from './routes/media.js';
import { registerOwnerRoutes, type OwnerRoutesDeps } from './routes/owner.js';
import { registerSearchRoutes } from './routes/search.js';

export interface Health {
  whatsapp: boolean;
  /** null: check-ins and reminders are off (no Redis configured or installed). */
  redis: boolean | null;
}

export interface WebDeps {
  store: Store;
  desk: StaffDesk;
  activity: Activity;
  flows: () => FlowSet;
  /** The shop folder (beside flows/): pictures and files of the transcript are served from its data/. */
  mediaRoot: string;
  clock: () => number;
  log: Logger;
  /** The address staff open; https turns on Secure cookies and HSTS. */
  baseUrl: string;
  health: () => Promise<Health>;
  owner: Omit<OwnerRoutesDeps, 'store' | 'clock'>;
  sessionTtlMs?: number;
  throttle?: ThrottleLimits;
}

/** Forms and JSON are small; anything bigger is refused before it is read. */
const BODY_LIMIT = 64 * 1024;
const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

export async function buildWebServer(deps: WebDeps): Promise<FastifyInstance> {
  const secure = deps.baseUrl.startsWith('https://');
  const app = Fastify({ loggerInstance: deps.log.child({ component: 'web' }) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: BODY_LIMIT });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    hsts: secure,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', decorateReply: false, index: false });

  registerLocale(app, deps.flows);
  registerAuth(app, { store: deps.store, clock: deps.clock, secure, sessionTtlMs: deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS, throttle: deps.throttle });
  app.get('/healthz', async (_request, reply) => {
    const health = await deps.health();
    const ok = health.whatsapp && health.redis !== false;
    return reply.code(ok ? 200 : 503).header('cache-control', 'no-store').send({ ok, ...health });
  });
  registerConversationRoutes(app, deps);
  registerEvents(app, deps);
  registerMediaRoutes(app, deps);
  registerSearchRoutes(app, deps);
  await registerOwnerRoutes(app, { ...deps.owner, store: deps.store, clock: deps.clock });
  return app;
}

/** Builds the inbox and listens; resolves with its address once it accepts connections. */
export async function startWebServer(deps: WebDeps, port: number, host: string): Promise<{ app: FastifyInstance; address: string }> {
  const app = await buildWebServer(deps);
  const address = await app.listen({ port, host });
  return { app, address };
}
