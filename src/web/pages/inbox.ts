/** The inbox: waiting escalations first, then the viewer's, then colleagues', then recent conversations. */
import type { InboxEntry } from '../../store/inbox.js';
import { html, type Html } from '../html.js';
import type { Translate } from '../i18n/translate.js';
import type { InboxView } from '../views.js';
import { actorName, ago, preview } from './format.js';

/** A listed conversation; `transferredBy` marks one a colleague just handed to the viewer. */
type Listed = InboxEntry & { transferredBy?: string | null };

function entry(item: Listed, now: number, t: Translate): Html {
  const who = item.name ?? item.phone ?? t('sender.customer');
  const since = item.openedAt !== null ? t('inbox.waitingFor', { time: ago(now - item.openedAt, t) }) : item.lastAt !== null ? t('time.ago', { time: ago(now - item.lastAt, t) }) : '';
  return html`<li class="entry ${item.status ?? 'plain'}${item.transferredBy ? ' transferred' : ''}">
  <a href="/conversations/${item.customerId}">
    <span class="who">${who}</span> ${item.phone && item.name ? html`<span class="phone">+${item.phone}</span>` : ''}
    ${item.transferredBy ? html`<span class="badge">${t('inbox.transferredBy', { name: item.transferredBy })}</span>` : ''}
    ${item.reason ? html`<span class="reason">${item.reason}</span>` : ''}
    <span class="meta">${since}${item.claimedBy ? html` · ${actorName(item.claimedBy, t)}` : ''}</span>
    <span class="last">${item.lastSender ? html`<b>${t(`sender.${item.lastSender}`)}:</b> ` : ''}${preview(item.lastText, item.lastKind, t)}</span>
  </a>
</li>`;
}

function section(title: string, items: Listed[], now: number, t: Translate, empty?: string): Html {
  if (!items.length && !empty) return html``;
  return html`<section class="list">
  <h2>${title} <span class="count">${items.length}</span></h2>
  ${items.length ? html`<ul>${items.map((item) => entry(item, now, t))}</ul>` : html`<p class="empty">${empty}</p>`}
</section>`;
}

export function inboxLive(view: InboxView, now: number, t: Translate): Html {
  return html`${section(t('inbox.waiting'), view.waiting, now, t, t('inbox.nobodyWaiting'))}
${section(t('inbox.mine'), view.mine, now, t)}
${section(t('inbox.others'), view.others, now, t)}
${section(t('inbox.recent'), view.recent, now, t)}`;
}
