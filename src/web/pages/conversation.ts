/**
 * One conversation: the whole transcript (customer, bot and staff, each marked), notes, and the staff actions:
 * reply (with a picture if wanted), claim, release to the bot, private notes. The customer beside it is
 * customer-panel.ts.
 */
import type { StoredMessage } from '../../store/messages.js';
import type { WebSession } from '../../store/web-sessions.js';
import { html, type Html } from '../html.js';
import type { Locale, Translate } from '../i18n/translate.js';
import { mediaUrl } from '../routes/media.js';
import { MAX_PICTURE_MB } from '../uploads.js';
import type { ConversationView } from '../views.js';
import { actorName, ago, clockTime, kindLabel } from './format.js';
import { csrfField } from './layout.js';

function message(item: StoredMessage, locale: Locale, now: number): Html {
  const { t } = locale;
  const sender = t(`sender.${item.sender}`);
  const label = item.sender === 'staff' && item.author ? `${sender} · ${actorName(item.author, t)}` : sender;
  return html`<li class="msg ${item.sender}">
  <span class="by">${label}</span> <time>${clockTime(item.at, locale.zone, now, locale.language)}</time>
  ${item.kind !== 'text' ? html`<span class="kind">${kindLabel(item.kind, t)}</span>` : ''}
  ${attachment(item, locale.t)}
  <p>${item.text}</p>
  ${item.status === 'pending' ? html`<span class="status">${t('conv.sending')}</span>` : item.status === 'failed' ? html`<span class="status failed">${t('conv.failed')}</span>` : ''}
</li>`;
}

/** A picture shown in place (its caption, or who sent it, as alt text); another file as a link. */
function attachment(item: StoredMessage, t: Translate): Html {
  if (!item.mediaPath) return html``;
  const url = mediaUrl(item.mediaPath);
  if (item.kind !== 'image') return html`<a class="file" href="${url}">${t('media.open')}</a>`;
  const alt = item.text || (item.sender === 'customer' ? t('media.customerPicture') : t('media.picture'));
  return html`<a href="${url}"><img class="picture" src="${url}" alt="${alt}" loading="lazy"></a>`;
}

function status(view: ConversationView, now: number, t: Translate): Html {
  const { escalation } = view;
  if (!escalation) {
    if (view.pausedUntil !== null && view.pausedUntil > now) return html`<p class="state">${t('conv.botQuiet')}</p>`;
    return html`<p class="state">${t('conv.botAnswering')}</p>`;
  }
  const since = `${escalation.reason} · ${ago(now - escalation.createdAt, t)}`;
  if (escalation.status === 'waiting') return html`<p class="state waiting">${t('conv.waitingForStaff', { since })}</p>`;
  return html`<p class="state claimed">${t('conv.with', { name: escalation.claimedBy ? actorName(escalation.claimedBy, t) : '', since })}</p>`;
}

function notes(view: ConversationView, locale: Locale, now: number): Html {
  if (!view.notes.length) return html``;
  return html`<section class="notes">
  <h2>${locale.t('conv.notes')}</h2>
  <ul>${view.notes.map((note) => html`<li><span class="by">${note.author}</span> <time>${clockTime(note.at, locale.zone, now, locale.language)}</time><p>${note.text}</p></li>`)}</ul>
</section>`;
}

export function conversationLive(view: ConversationView, locale: Locale, now: number): Html {
  return html`${status(view, now, locale.t)}
<ol class="transcript">${view.messages.map((item) => message(item, locale, now))}</ol>
${notes(view, locale, now)}`;
}

export function conversationHeader(view: ConversationView, t: Translate): Html {
  const { customer } = view;
  return html`<h1 class="customer">${customer.name ?? t('sender.customer')} ${customer.phone ? html`<a class="phone" href="https://wa.me/${customer.phone}">+${customer.phone}</a>` : ''}</h1>`;
}

/** The staff actions. Outside the live region, so that a live update never wipes what someone is typing. */
/** The saved answers, offered by static/app.js as the reply starts with "/"; the server fills them when sent. */
function quickReplyList(quickReplies: Record<string, string>, t: Translate): Html {
  const names = Object.keys(quickReplies);
  if (!names.length) return html``;
  return html`<ul class="quick-replies" id="quick-replies" aria-label="${t('conv.quickReplies')}">${names.map((name) => html`<li><button type="button" data-quick="/${name}"><b>/${name}</b> ${quickReplies[name]}</button></li>`)}</ul>`;
}

export function conversationActions(view: ConversationView, staff: WebSession, t: Translate, quickReplies: Record<string, string>): Html {
  const base = `/api/conversations/${view.customer.id}`;
  const { escalation } = view;
  const canClaim = escalation && !(escalation.status === 'claimed' && escalation.claimedBy === staff.name);
  return html`<section class="actions">
  <form method="post" action="${base}/reply" class="reply" enctype="multipart/form-data">
    ${csrfField(staff)}
    <label for="reply-text">${t('conv.replyLabel')}</label>
    <textarea id="reply-text" name="text" rows="3" maxlength="4096" required></textarea>
    ${quickReplyList(quickReplies, t)}
    <div class="send-row">
      <label class="attach" title="${t('picture.attachLabel', { mb: MAX_PICTURE_MB })}">📎 ${t('picture.attach')}
        <input type="file" name="picture" accept="image/jpeg,image/png,image/webp" aria-label="${t('picture.attachLabel', { mb: MAX_PICTURE_MB })}" data-max-bytes="${MAX_PICTURE_MB * 2 ** 20}" data-too-big="${t('picture.tooBig', { mb: MAX_PICTURE_MB })}">
      </label>
      <span class="chosen" aria-live="polite"></span>
      <button type="submit">${t('conv.send')}</button>
    </div>
  </form>
  <div class="buttons">
    ${canClaim ? html`<form method="post" action="${base}/claim">${csrfField(staff)}<button type="submit">${t('conv.claim')}</button></form>` : ''}
    ${escalation ? html`<form method="post" action="${base}/release" class="release">
      ${csrfField(staff)}
      <input name="message" placeholder="${t('conv.closingMessage')}" maxlength="4096" aria-label="${t('conv.closingMessage')}">
      <button type="submit">${t('conv.release')}</button>
    </form>` : ''}
  </div>
  <details>
    <summary>${t('conv.privateNotes')}</summary>
    <form method="post" action="${base}/notes">${csrfField(staff)}<input name="text" placeholder="${t('conv.notePlaceholder')}" maxlength="4096" required aria-label="${t('conv.notePlaceholder')}"><button type="submit">${t('conv.addNote')}</button></form>
  </details>
</section>`;
}
