/**
 * One conversation: the whole transcript (customer, bot and staff, each marked), what the flows captured, notes,
 * and the staff actions: reply, claim, release to the bot, notes and tags.
 */
import type { StoredMessage } from '../../store/messages.js';
import type { WebSession } from '../../store/web-sessions.js';
import { html, type Html } from '../html.js';
import type { ConversationView } from '../views.js';
import { ago, clockTime } from './format.js';
import { csrfField } from './layout.js';

const SENDER_LABEL = { customer: 'Customer', bot: 'Bot', staff: 'Staff' } as const;

function message(item: StoredMessage, zone: string, now: number): Html {
  const label = item.sender === 'staff' && item.author ? `Staff · ${item.author}` : SENDER_LABEL[item.sender];
  return html`<li class="msg ${item.sender}">
  <span class="by">${label}</span> <time>${clockTime(item.at, zone, now)}</time>
  ${item.kind !== 'text' ? html`<span class="kind">${item.kind}</span>` : ''}
  <p>${item.text}</p>
  ${item.status === 'pending' ? html`<span class="status">sending…</span>` : item.status === 'failed' ? html`<span class="status failed">not delivered</span>` : ''}
</li>`;
}

function status(view: ConversationView, now: number): Html {
  const { escalation } = view;
  if (!escalation) {
    if (view.pausedUntil !== null && view.pausedUntil > now) return html`<p class="state">The bot is quiet: someone wrote from the shop's phone.</p>`;
    return html`<p class="state">The bot is answering this customer.</p>`;
  }
  const since = html`${escalation.reason} · ${ago(now - escalation.createdAt)}`;
  if (escalation.status === 'waiting') return html`<p class="state waiting">Waiting for staff: ${since}</p>`;
  return html`<p class="state claimed">With ${escalation.claimedBy}: ${since}</p>`;
}

function captured(view: ConversationView): Html {
  const { customer } = view;
  const vars = Object.entries(customer.vars);
  const counters = Object.entries(customer.counters);
  return html`<section class="captured">
  <h2>What the bot knows</h2>
  <dl>
    <dt>Tags</dt><dd>${customer.tags.length ? customer.tags.map((tag) => html`<span class="tag">${tag}</span> `) : '—'}</dd>
    ${vars.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}
    ${counters.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}
    <dt>Promotions</dt><dd>${customer.optedOut ? 'opted out' : 'receives them'}</dd>
  </dl>
</section>`;
}

function notes(view: ConversationView, zone: string, now: number): Html {
  if (!view.notes.length) return html``;
  return html`<section class="notes">
  <h2>Notes</h2>
  <ul>${view.notes.map((note) => html`<li><span class="by">${note.author}</span> <time>${clockTime(note.at, zone, now)}</time><p>${note.text}</p></li>`)}</ul>
</section>`;
}

export function conversationLive(view: ConversationView, zone: string, now: number): Html {
  return html`${status(view, now)}
<ol class="transcript">${view.messages.map((item) => message(item, zone, now))}</ol>
${notes(view, zone, now)}
${captured(view)}`;
}

export function conversationHeader(view: ConversationView): Html {
  const { customer } = view;
  return html`<h1 class="customer">${customer.name ?? 'Customer'} ${customer.phone ? html`<a class="phone" href="https://wa.me/${customer.phone}">+${customer.phone}</a>` : ''}</h1>`;
}

/** The staff actions. Outside the live region, so that a live update never wipes what someone is typing. */
export function conversationActions(view: ConversationView, staff: WebSession): Html {
  const base = `/api/conversations/${view.customer.id}`;
  const { escalation } = view;
  const canClaim = escalation && !(escalation.status === 'claimed' && escalation.claimedBy === staff.name);
  return html`<section class="actions">
  <form method="post" action="${base}/reply" class="reply">
    ${csrfField(staff)}
    <label for="reply-text">Reply to the customer</label>
    <textarea id="reply-text" name="text" rows="3" maxlength="4096" required></textarea>
    <button type="submit">Send</button>
  </form>
  <div class="buttons">
    ${canClaim ? html`<form method="post" action="${base}/claim">${csrfField(staff)}<button type="submit">Claim</button></form>` : ''}
    ${escalation ? html`<form method="post" action="${base}/release" class="release">
      ${csrfField(staff)}
      <input name="message" placeholder="Closing message (optional)" maxlength="4096" aria-label="Closing message">
      <button type="submit">Hand back to the bot</button>
    </form>` : ''}
  </div>
  <details>
    <summary>Notes and tags</summary>
    <form method="post" action="${base}/notes">${csrfField(staff)}<input name="text" placeholder="Private note for colleagues" maxlength="4096" required aria-label="Note"><button type="submit">Add note</button></form>
    <form method="post" action="${base}/tags">${csrfField(staff)}<input name="add" placeholder="tag" maxlength="40" required aria-label="Tag to add"><button type="submit">Add tag</button></form>
    ${view.customer.tags.map((tag) => html`<form method="post" action="${base}/tags" class="inline">${csrfField(staff)}<input type="hidden" name="remove" value="${tag}"><button type="submit">Remove “${tag}”</button></form>`)}
  </details>
</section>`;
}
