/** The inbox: waiting escalations first, then the viewer's, then colleagues', then recent conversations. */
import type { InboxEntry } from '../../store/inbox.js';
import { html, type Html } from '../html.js';
import type { InboxView } from '../views.js';
import { ago, preview } from './format.js';

function entry(item: InboxEntry, now: number): Html {
  const who = item.name ?? item.phone ?? 'Customer';
  return html`<li class="entry ${item.status ?? 'plain'}">
  <a href="/conversations/${item.customerId}">
    <span class="who">${who}</span> ${item.phone && item.name ? html`<span class="phone">+${item.phone}</span>` : ''}
    ${item.reason ? html`<span class="reason">${item.reason}</span>` : ''}
    <span class="meta">${item.openedAt !== null ? html`waiting ${ago(now - item.openedAt)}` : item.lastAt !== null ? html`${ago(now - item.lastAt)} ago` : ''}${item.claimedBy ? html` · ${item.claimedBy}` : ''}</span>
    <span class="last">${item.lastSender ? html`<b>${item.lastSender}:</b> ` : ''}${preview(item.lastText, item.lastKind)}</span>
  </a>
</li>`;
}

function section(title: string, items: InboxEntry[], now: number, empty?: string): Html {
  if (!items.length && !empty) return html``;
  return html`<section class="list">
  <h2>${title} <span class="count">${items.length}</span></h2>
  ${items.length ? html`<ul>${items.map((item) => entry(item, now))}</ul>` : html`<p class="empty">${empty}</p>`}
</section>`;
}

export function inboxLive(view: InboxView, now: number): Html {
  return html`${section('Waiting', view.waiting, now, 'Nobody is waiting for staff.')}
${section('Mine', view.mine, now)}
${section('Open with colleagues', view.others, now)}
${section('Recent conversations', view.recent, now)}`;
}
