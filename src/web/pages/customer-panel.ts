/**
 * The customer beside the chat: who they are, their tags (added and removed right here), how they have been in
 * touch, what the flows saved, the check-ins sent with their ratings, and earlier escalations; and the transfer
 * of an open escalation to a colleague. Outside the live region, so its forms never change under the user's fingers.
 */
import type { WebSession } from '../../store/web-sessions.js';
import { html, type Html } from '../html.js';
import type { Locale, Translate } from '../i18n/translate.js';
import type { ConversationView } from '../views.js';
import { actorName, ago, clockTime, preview } from './format.js';
import { csrfField } from './layout.js';

const actionsOf = (view: ConversationView): string => `/api/conversations/${view.customer.id}`;

/** Every colleague but the one who holds the escalation already. */
function transferForm(view: ConversationView, staff: WebSession, t: Translate, colleagues: string[]): Html {
  const choices = colleagues.filter((name) => name !== view.escalation?.claimedBy);
  if (!view.escalation || !choices.length) return html``;
  return html`<form method="post" action="${actionsOf(view)}/transfer" class="transfer">
  ${csrfField(staff)}
  <label for="transfer-to">${t('transfer.label')}</label>
  <select id="transfer-to" name="to" required>${choices.map((name) => html`<option>${name}</option>`)}</select>
  <button type="submit">${t('transfer.submit')}</button>
</form>`;
}

function tags(view: ConversationView, staff: WebSession, t: Translate): Html {
  const action = `${actionsOf(view)}/tags`;
  return html`<section class="tags">
  <h3>${t('conv.tags')}</h3>
  <ul class="tag-list">${view.customer.tags.map((tag) => html`<li><span class="tag">${tag}</span><form method="post" action="${action}" class="inline">${csrfField(staff)}<input type="hidden" name="remove" value="${tag}"><button type="submit" class="remove" aria-label="${t('conv.removeTag', { tag })}" title="${t('conv.removeTag', { tag })}">×</button></form></li>`)}</ul>
  <form method="post" action="${action}" class="add-tag">${csrfField(staff)}<input name="add" placeholder="${t('conv.tagPlaceholder')}" maxlength="40" required aria-label="${t('conv.tagToAdd')}"><button type="submit">${t('conv.addTag')}</button></form>
</section>`;
}

function facts(view: ConversationView, locale: Locale, now: number): Html {
  const { t } = locale;
  const { customer } = view;
  const when = (at: number | null): string => (at === null ? '—' : clockTime(at, locale.zone, now, locale.language));
  return html`<dl class="facts">
  <dt>${t('panel.messagesFromCustomer')}</dt><dd>${view.history.inbound}</dd>
  <dt>${t('panel.firstContact')}</dt><dd>${when(customer.firstContactAt)}</dd>
  <dt>${t('panel.lastContact')}</dt><dd>${when(customer.lastContactAt)}</dd>
  ${Object.entries(customer.counters).map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}
  <dt>${t('conv.promotions')}</dt><dd>${customer.optedOut ? t('conv.optedOut') : t('conv.receives')}</dd>
</dl>`;
}

/** What the flows saved (address, size, product…), under the names the flows gave them. */
function savedAnswers(view: ConversationView, t: Translate): Html {
  const answers = Object.entries(view.customer.vars).filter(([, value]) => value !== '');
  if (!answers.length) return html``;
  return html`<section class="saved">
  <h3>${t('panel.savedAnswers')}</h3>
  <dl class="facts">${answers.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>
</section>`;
}

function checkins(view: ConversationView, locale: Locale, now: number): Html {
  const { t } = locale;
  const outcome = (checkin: ConversationView['history']['checkins'][number]): string => {
    if (checkin.rating !== null) return t('panel.rating', { rating: checkin.rating });
    if (checkin.answer !== null) return t('panel.answered', { answer: preview(checkin.answer, null, t) });
    return t('panel.unanswered');
  };
  return html`<section class="checkins">
  <h3>${t('panel.checkins')}</h3>
  ${view.history.checkins.length
    ? html`<ul>${view.history.checkins.map((checkin) => html`<li><time>${clockTime(checkin.sentAt, locale.zone, now, locale.language)}</time> ${checkin.rule} · ${outcome(checkin)}</li>`)}</ul>`
    : html`<p class="empty">${t('panel.none')}</p>`}
</section>`;
}

function pastEscalations(view: ConversationView, locale: Locale, now: number): Html {
  const { t } = locale;
  return html`<section class="past-escalations">
  <h3>${t('panel.pastEscalations')}</h3>
  ${view.history.escalations.length
    ? html`<ul>${view.history.escalations.map((escalation) => html`<li><time>${clockTime(escalation.createdAt, locale.zone, now, locale.language)}</time> ${escalation.reason}
      <span class="meta">${escalation.repliedBy.length ? t('panel.handledBy', { names: escalation.repliedBy.map((actor) => actorName(actor, t)).join(', ') }) : t('panel.noStaffReply')} · ${t('panel.resolvedIn', { time: ago(escalation.releasedAt - escalation.createdAt, t) })}</span></li>`)}</ul>`
    : html`<p class="empty">${t('panel.none')}</p>`}
</section>`;
}

export function customerPanel(view: ConversationView, staff: WebSession, locale: Locale, now: number, colleagues: string[]): Html {
  const { customer } = view;
  return html`<aside class="customer-panel" aria-label="${locale.t('panel.label')}">
  <h2>${customer.name ?? locale.t('sender.customer')}</h2>
  ${customer.phone ? html`<p class="phone"><a href="https://wa.me/${customer.phone}">+${customer.phone}</a></p>` : ''}
  ${transferForm(view, staff, locale.t, colleagues)}
  ${tags(view, staff, locale.t)}
  ${facts(view, locale, now)}
  ${savedAnswers(view, locale.t)}
  ${checkins(view, locale, now)}
  ${pastEscalations(view, locale, now)}
</aside>`;
}
