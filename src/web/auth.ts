/**
 * Logins and sessions for the staff inbox. A session is a random token in an HttpOnly, SameSite=Strict cookie
 * (Secure over https), looked up on the server on every request, so logout and expiry really end it. Every
 * state-changing request must carry the session's CSRF token; the login form carries its own (a double-submit
 * cookie), and failed logins are throttled per IP and per account.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyPassword } from '../staff/password.js';
import type { Store } from '../store/store.js';
import type { WebSession } from '../store/web-sessions.js';
import { LoginThrottle, type ThrottleLimits } from './login-throttle.js';
import { loginPage } from './pages/login.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in staff member, when the request carries a live session. */
    staff?: WebSession;
    sessionToken?: string;
  }
}

export const SESSION_COOKIE = 'setia_session';
const LOGIN_CSRF_COOKIE = 'setia_login';
export const DEFAULT_SESSION_TTL_MS = 7 * 24 * 3_600_000;

export interface AuthOptions {
  store: Store;
  clock: () => number;
  /** Cookies get the Secure flag: the inbox is served over https. */
  secure: boolean;
  sessionTtlMs: number;
  throttle?: ThrottleLimits;
}

const newToken = (): string => randomBytes(32).toString('base64url');

function sameToken(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Only paths of this site: `next=//evil.example` must not send anyone away after logging in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

function field(request: FastifyRequest, name: string): unknown {
  return (request.body as Record<string, unknown> | undefined)?.[name];
}

const isUnsafe = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method);

export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  const { store, clock } = options;
  const throttle = new LoginThrottle(clock, options.throttle);
  const cookie = { httpOnly: true, sameSite: 'strict' as const, secure: options.secure, path: '/' };

  app.decorateRequest('staff', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? store.webSessions.get(token, clock()) : undefined;
    if (session) {
      request.staff = session;
      request.sessionToken = token;
    }
  });
  app.addHook('preHandler', async (request, reply) => {
    if (!isUnsafe(request.method) || request.url.split('?')[0] === '/login') return;
    // The queue dashboard's own script cannot send our token; its requests must come from this very site.
    if (request.url.startsWith('/admin/queues/') && request.headers['sec-fetch-site'] === 'same-origin') return;
    const given = request.headers['x-csrf-token'] ?? field(request, '_csrf');
    if (!request.staff || !sameToken(given, request.staff.csrfToken)) {
      return reply.code(403).type('text/plain').send(request.locale.t('form.expired'));
    }
  });

  const showLogin = (request: FastifyRequest, reply: FastifyReply, next: string, problem?: string, status = 200): FastifyReply => {
    const csrf = newToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...cookie, maxAge: 3_600 });
    return reply.code(status).type('text/html').send(loginPage({ csrf, next, problem, noAccounts: store.staffAccounts.count() === 0 }, request.locale).value);
  };

  app.get('/login', async (request, reply) => showLogin(request, reply, safeNext((request.query as { next?: unknown }).next)));

  app.post('/login', async (request, reply) => {
    const json = request.headers['content-type']?.startsWith('application/json') ?? false;
    const name = String(field(request, 'name') ?? '').trim();
    const next = safeNext(field(request, 'next'));
    const { t } = request.locale;
    const fail = (status: number, problem: string): FastifyReply => (json ? reply.code(status).send({ error: problem }) : showLogin(request, reply, next, problem, status));
    // A form must come from our own login page; JSON cannot be posted across sites without CORS, which we never allow.
    if (!json && !sameToken(field(request, '_csrf'), request.cookies[LOGIN_CSRF_COOKIE])) return fail(403, t('login.expired'));
    const waitMs = throttle.retryAfterMs(request.ip, name);
    if (waitMs > 0) {
      reply.header('retry-after', Math.ceil(waitMs / 1000));
      return fail(429, t('login.throttled', { minutes: Math.ceil(waitMs / 60_000) }));
    }
    const account = store.staffAccounts.byName(name);
    const password = String(field(request, 'password') ?? '');
    if (!account || !(await verifyPassword(password, account.passwordHash))) {
      throttle.failed(request.ip, name);
      request.log.info({ ip: request.ip }, 'failed staff login');
      return fail(401, t('login.wrong'));
    }
    throttle.succeeded(name);
    // A new token at every login: a session id planted before login (fixation) is never promoted.
    if (request.sessionToken) store.webSessions.end(request.sessionToken);
    const token = newToken();
    const csrfToken = newToken();
    const now = clock();
    store.webSessions.create(token, account.id, csrfToken, now, now + options.sessionTtlMs);
    reply.setCookie(SESSION_COOKIE, token, { ...cookie, maxAge: Math.floor(options.sessionTtlMs / 1000) });
    reply.clearCookie(LOGIN_CSRF_COOKIE, cookie);
    return json ? reply.send({ name: account.name, role: account.role, csrfToken }) : reply.redirect(next, 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.sessionToken) store.webSessions.end(request.sessionToken);
    reply.clearCookie(SESSION_COOKIE, cookie);
    return reply.redirect('/login', 303);
  });
}

/** Pages and APIs behind this hook need a session: pages send the visitor to log in, APIs answer 401. */
export async function requireStaff(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.staff) return;
  if (request.url.startsWith('/api/')) return void reply.code(401).send({ error: 'log in first' });
  return void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}

/** Owners only: the linking page, the shop report and the queue dashboard. */
export async function requireOwner(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireStaff(request, reply);
  if (reply.sent) return;
  if (request.staff?.role !== 'owner') return void reply.code(403).type('text/plain').send('Only the shop owner can open this page.');
}
