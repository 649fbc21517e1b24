/**
 * The search page: customers whose name or phone matches, then messages with the matching words marked, newest
 * first, each a link to its conversation. Text is escaped first and only then marked, so a customer's markup
 * stays text.
 */
import type { CustomerHit, MessageHit, SearchResults, Segment } from '../../store/search.js';
import { html, type Html } from '../html.js';
import type { Locale, Translate } from '../i18n/translate.js';
import { actorName, clockTime } from './format.js';

function segments(parts: Segment[]): Html {
  return html`${parts.map((part) => (part.hit ? html`<mark>${part.text}</mark>` : html`${part.text}`))}`;
}

function customer(hit: CustomerHit, locale: Locale, now: number): Html {
  const { t } = locale;
  return html`<li class="entry">
  <a href="/conversations/${hit.customerId}">
    <span class="who">${hit.name.length ? segments(hit.name) : t('sender.customer')}</span> ${hit.phone.length ? html`<span class="phone">+${segments(hit.phone)}</span>` : ''}
    ${hit.lastAt !== null ? html`<span class="meta">${t('search.lastContact', { time: clockTime(hit.lastAt, locale.zone, now, locale.language) })}</span>` : ''}
  </a>
</li>`;
}

function message(hit: MessageHit, locale: Locale, now: number): Html {
  const { t } = locale;
  const who = hit.name ?? (hit.phone ? `+${hit.phone}` : t('sender.customer'));
  const by = hit.sender === 'staff' && hit.author ? `${t('sender.staff')} · ${actorName(hit.author, t)}` : t(`sender.${hit.sender}`);
  return html`<li class="entry">
  <a href="/conversations/${hit.customerId}">
    <span class="who">${who}</span> ${hit.name && hit.phone ? html`<span class="phone">+${hit.phone}</span>` : ''}
    <span class="meta"><time>${clockTime(hit.at, locale.zone, now, locale.language)}</time> · ${by}</span>
    <span class="snippet">${segments(hit.snippet)}</span>
  </a>
</li>`;
}

function section<T>(title: string, items: T[], more: boolean, render: (item: T) => Html, t: Translate): Html {
  if (!items.length) return html``;
  return html`<section class="list">
  <h2>${title} <span class="count">${items.length}${more ? '+' : ''}</span></h2>
  <ul>${items.map(render)}</ul>
  ${more ? html`<p class="note">${t('search.more', { count: items.length })}</p>` : ''}
</section>`;
}

/** The search box at the top of the page, kept out of the live region so a live update never resets it. */
export function searchForm(query: string, t: Translate): Html {
  return html`<form method="get" action="/search" class="search-page" role="search">
  <input type="search" name="q" value="${query}" placeholder="${t('search.placeholder')}" aria-label="${t('search.title')}" maxlength="200" autofocus>
  <button type="submit">${t('search.submit')}</button>
</form>`;
}

export function searchLive(query: string, results: SearchResults | undefined, locale: Locale, now: number): Html {
  const { t } = locale;
  if (!results) return html`<p class="empty">${t('search.hint')}</p>`;
  const nothing = !results.customers.length && !results.messages.length;
  return html`${results.behind > 0 ? html`<p class="note">${t('search.behind')}</p>` : ''}
${nothing ? html`<p class="empty">${t('search.none', { query })}</p>` : ''}
${section(t('search.customers'), results.customers, results.moreCustomers, (hit) => customer(hit, locale, now), t)}
${section(t('search.messages'), results.messages, results.moreMessages, (hit) => message(hit, locale, now), t)}`;
}
