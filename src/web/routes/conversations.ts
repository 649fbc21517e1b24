/**
 * The inbox and conversation pages, and the JSON API behind them. Actions take a form (the pages, answered with
 * a redirect back) or JSON (API clients, answered with JSON); both need a session and the CSRF token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FlowSet, Settings } from '../../core/flow/types.js';
import { sameName, type StaffDesk, type TransferOutcome } from '../../staff/desk.js';
import type { Store } from '../../store/store.js';
import { requireStaff } from '../auth.js';
import { html, type Html } from '../html.js';
import type { MessageKey } from '../i18n/id.js';
import { conversationActions, conversationHeader, conversationLive } from '../pages/conversation.js';
import { customerPanel } from '../pages/customer-panel.js';
import { inboxLive } from '../pages/inbox.js';
import { replyText } from '../../staff/quick-replies.js';
import { sendPage } from '../send-page.js';
import { acceptUploads, pictureExtension, removePicture, storePicture } from '../uploads.js';
import { conversationView, inboxView, unreadCount } from '../views.js';

export interface ConversationRoutesDeps {
  store: Store;
  desk: StaffDesk;
  flows: () => FlowSet;
  clock: () => number;
  /** The shop folder: pictures staff send are stored in its data/media/outbound/. */
  mediaRoot: string;
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
  mediaRoot: string;
}

type Action = (context: ActionContext, customerId: number, actor: string, body: Record<string, unknown>) => Promise<boolean>;

/** A picture from the reply box, its text as the caption: stored first, then queued; refused unless JPEG, PNG or WebP. */
async function sendPicture({ desk, mediaRoot }: ActionContext, id: number, actor: string, bytes: Buffer, caption: string): Promise<boolean> {
  const ext = pictureExtension(bytes);
  if (!ext) throw new BadRequest('picture.badType', {});
  const path = await storePicture(mediaRoot, bytes, ext);
  if (await desk.sendPicture(id, actor, path, caption)) return true;
  await removePicture(mediaRoot, path);
  return false;
}

/** A reply as written, or the quick reply it names (`/ongkir`) filled for this customer; with a picture, its caption. */
const reply: Action = async (context, id, actor, body) => {
  const { picture } = body;
  if (Buffer.isBuffer(picture) && picture.length > 0) return sendPicture(context, id, actor, picture, text(body, 'text', false) ?? '');
  const { desk, store, settings } = context;
  const written = text(body, 'text', true)!;
  const customer = store.customers.getById(id);
  if (!customer) return false;
  const filled = replyText(written, settings, customer);
  if (filled === undefined) throw new BadRequest('error.noQuickReply', { name: written });
  return desk.reply(id, actor, filled);
};

const TRANSFER_REFUSED: Record<Exclude<TransferOutcome, 'transferred' | 'no-customer'>, MessageKey> = {
  self: 'transfer.self',
  'already-theirs': 'transfer.alreadyTheirs',
  'not-open': 'transfer.notOpen',
};

/** Hands the escalation to the colleague with the staff account named `to`. */
const transfer: Action = async ({ desk, store }, id, actor, body) => {
  const name = text(body, 'to', true)!;
  const colleague = store.staffAccounts.byName(name);
  if (!colleague) throw new BadRequest('transfer.unknown', { name });
  const outcome = await desk.transfer(id, actor, colleague.name);
  if (outcome === 'no-customer') return false;
  if (outcome !== 'transferred') throw new BadRequest(TRANSFER_REFUSED[outcome], { name: colleague.name });
  return true;
};

const ACTIONS: Record<string, Action> = {
  reply,
  transfer,
  claim: ({ desk }, id, actor) => desk.claim(id, actor),
  release: ({ desk }, id, actor, body) => desk.release(id, actor, text(body, 'message', false)),
  notes: ({ desk }, id, actor, body) => desk.note(id, actor, text(body, 'text', true)!),
  tags: ({ desk }, id, _actor, body) => desk.tag(id, tags(body, 'add'), tags(body, 'remove')),
};

/** Whom the viewer can transfer to: every other inbox account. */
function colleaguesOf(store: Store, viewer: string): string[] {
  return store.staffAccounts.all().map((account) => account.name).filter((name) => !sameName(name, viewer));
}

function customerId(request: FastifyRequest): number {
  const id = Number((request.params as { id: string }).id);
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

export function registerConversationRoutes(app: FastifyInstance, deps: ConversationRoutesDeps): void {
  const { store, desk, clock } = deps;
  const viewOf = (id: number) => conversationView(store, id, deps.flows());

  app.register(async (scope) => {
    scope.addHook('onRequest', requireStaff);
    await acceptUploads(scope);

    scope.get('/', async (request, reply) => {
      const view = inboxView(store, request.staff!.name);
      return sendPage(request, reply, { title: request.locale.t('app.inbox'), unread: view.unread, live: inboxLive(view, clock(), request.locale.t) });
    });

    scope.get('/conversations/:id', async (request, reply) => {
      const view = viewOf(customerId(request));
      if (!view) return reply.code(404).type('text/plain').send(request.locale.t('error.noConversation'));
      const live: Html = conversationLive(view, request.locale, clock());
      return sendPage(request, reply, {
        title: view.customer.name ?? `+${view.customer.phone ?? ''}`,
        unread: unreadCount(store),
        before: conversationHeader(view, request.locale.t),
        live,
        after: html`${customerPanel(view, request.staff!, request.locale, clock(), colleaguesOf(store, request.staff!.name))}
${conversationActions(view, request.staff!, request.locale.t, deps.flows().settings.quickReplies)}`,
      });
    });

    scope.get('/api/me', async (request) => ({ name: request.staff!.name, role: request.staff!.role, csrfToken: request.staff!.csrfToken }));
    scope.get('/api/inbox', async (request) => inboxView(store, request.staff!.name));
    scope.get('/api/conversations/:id', async (request, reply) => viewOf(customerId(request)) ?? reply.code(404).send({ error: 'no such conversation' }));

    scope.post('/api/conversations/:id/:action', async (request, reply) => {
      const { action } = request.params as { action: string };
      const run = ACTIONS[action];
      if (!run) return reply.code(404).send({ error: `unknown action "${action}"` });
      const id = customerId(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const form = !request.headers['content-type']?.startsWith('application/json');
      try {
        if (!(await run({ desk, store, settings: deps.flows().settings, mediaRoot: deps.mediaRoot }, id, request.staff!.name, body))) return reply.code(404).send({ error: 'no such conversation' });
      } catch (error) {
        if (error instanceof BadRequest) return reply.code(400).send({ error: request.locale.t(error.key, error.values) });
        throw error;
      }
      return form ? reply.redirect(`/conversations/${id}`, 303) : reply.send(viewOf(id));
    });
  });
}
