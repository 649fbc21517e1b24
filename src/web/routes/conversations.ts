/**
 * The inbox and conversation pages, and the JSON API behind them. Actions take a form (the pages, answered with
 * a redirect back) or JSON (API clients, answered with JSON); both need a session and the CSRF token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FlowSet, Settings } from '../../core/flow/types.js';
import type { StaffDesk } from '../../staff/desk.js';
import type { Store } from '../../store/store.js';
import { requireStaff } from '../auth.js';
import type { Html } from '../html.js';
import type { MessageKey } from '../i18n/id.js';
import { conversationActions, conversationHeader, conversationLive } from '../pages/conversation.js';
import { inboxLive } from '../pages/inbox.js';
import { replyText } from '../quick-replies.js';
import { sendPage } from '../send-page.js';
import { conversationView, inboxView, unreadCount } from '../views.js';

export interface ConversationRoutesDeps {
  store: Store;
  desk: StaffDesk;
  flows: () => FlowSet;
  clock: () => number;
}

const MAX_TEXT = 4_096;
const MAX_TAG = 40;

/** Refused input, said in the shop's language when answered. */
class BadRequest extends Error {
  constructor(readonly key: MessageKey, readonly values: Record<string, string | number>) {
    super(key);
  }
}

function text(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = typeof body[name] === 'string' ? (body[name] as string).trim() : '';
  if (!value) {
    if (required) throw new BadRequest('error.required', { field: name });
    return undefined;
  }
  if (value.length > MAX_TEXT) throw new BadRequest('error.tooLong', { field: name, max: MAX_TEXT });
  return value;
}

/** Tags as a list from JSON, or one tag from a form field. */
function tags(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((tag) => String(tag).trim()).filter(Boolean);
  if (list.some((tag) => tag.length > MAX_TAG)) throw new BadRequest('error.tagTooLong', { max: MAX_TAG });
  return list;
}

interface ActionContext {
  desk: StaffDesk;
  store: Store;
  settings: Settings;
}

type Action = (context: ActionContext, customerId: number, actor: string, body: Record<string, unknown>) => Promise<boolean>;

/** A reply as written, or the quick reply it names (`/ongkir`) filled for this customer. */
const reply: Action = async ({ desk, store, settings }, id, actor, body) => {
  const written = text(body, 'text', true)!;
  const customer = store.customers.getById(id);
  if (!customer) return false;
  const filled = replyText(written, settings, customer);
  if (filled === undefined) throw new BadRequest('error.noQuickReply', { name: written });
  return desk.reply(id, actor, filled);
};

const ACTIONS: Record<string, Action> = {
  reply,
  claim: ({ desk }, id, actor) => desk.claim(id, actor),
  release: ({ desk }, id, actor, body) => desk.release(id, actor, text(body, 'message', false)),
  notes: ({ desk }, id, actor, body) => desk.note(id, actor, text(body, 'text', true)!),
  tags: ({ desk }, id, _actor, body) => desk.tag(id, tags(body, 'add'), tags(body, 'remove')),
};

function customerId(request: FastifyRequest): number {
  const id = Number((request.params as { id: string }).id);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

export function registerConversationRoutes(app: FastifyInstance, deps: ConversationRoutesDeps): void {
  const { store, desk, clock } = deps;

  app.register(async (scope) => {
    scope.addHook('onRequest', requireStaff);

    scope.get('/', async (request, reply) => {
      const view = inboxView(store, request.staff!.name);
      return sendPage(request, reply, { title: request.locale.t('app.inbox'), unread: view.unread, live: inboxLive(view, clock(), request.locale.t) });
    });

    scope.get('/conversations/:id', async (request, reply) => {
      const view = conversationView(store, customerId(request));
      if (!view) return reply.code(404).type('text/plain').send(request.locale.t('error.noConversation'));
      const live: Html = conversationLive(view, request.locale, clock());
      return sendPage(request, reply, {
        title: view.customer.name ?? `+${view.customer.phone ?? ''}`,
        unread: unreadCount(store),
        before: conversationHeader(view, request.locale.t),
        live,
        after: conversationActions(view, request.staff!, request.locale.t, deps.flows().settings.quickReplies),
      });
    });

    scope.get('/api/me', async (request) => ({ name: request.staff!.name, role: request.staff!.role, csrfToken: request.staff!.csrfToken }));
    scope.get('/api/inbox', async (request) => inboxView(store, request.staff!.name));
    scope.get('/api/conversations/:id', async (request, reply) => conversationView(store, customerId(request)) ?? reply.code(404).send({ error: 'no such conversation' }));

    scope.post('/api/conversations/:id/:action', async (request, reply) => {
      const { action } = request.params as { action: string };
      const run = ACTIONS[action];
      if (!run) return reply.code(404).send({ error: `unknown action "${action}"` });
      const id = customerId(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const form = !request.headers['content-type']?.startsWith('application/json');
      try {
        if (!(await run({ desk, store, settings: deps.flows().settings }, id, request.staff!.name, body))) return reply.code(404).send({ error: 'no such conversation' });
      } catch (error) {
        if (error instanceof BadRequest) return reply.code(400).send({ error: request.locale.t(error.key, error.values) });
        throw error;
      }
      return form ? reply.redirect(`/conversations/${id}`, 303) : reply.send(conversationView(store, id));
    });
  });
}
