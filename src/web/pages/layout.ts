/** The frame of every inbox page: a phone-sized header, the live region and the unread count in the title. */
import type { WebSession } from '../../store/web-sessions.js';
import { html, type Html } from '../html.js';
import type { Language, Translate } from '../i18n/translate.js';

export interface PageParts {
  title: string;
  staff: WebSession;
  t: Translate;
  language: Language;
  /** Open escalations that need an answer: shown as "(3)" in the title. */
  unread: number;
  /** Re-rendered and swapped in on every live update (Server-Sent Events). */
  live: Html;
  /** Forms and anything else that must not change under the user's fingers. */
  before?: Html;
  after?: Html;
}

export function titleOf(title: string, unread: number): string {
  return `${unread > 0 ? `(${unread}) ` : ''}${title} · Setia`;
}

export function layout(parts: PageParts): Html {
  const { staff, t } = parts;
  return html`<!doctype html>
<html lang="${parts.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${titleOf(parts.title, parts.unread)}</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body data-title="${parts.title}">
<header class="top">
  <nav>
    <a href="/">${t('app.inbox')}</a>
    ${staff.role === 'owner' ? html`<a href="/owner">${t('nav.shop')}</a> <a href="/admin/queues">${t('nav.queues')}</a>` : ''}
    <form method="get" action="/search" class="search" role="search"><input type="search" name="q" placeholder="${t('search.placeholder')}" aria-label="${t('search.title')}" maxlength="200"></form>
  </nav>
  <form method="post" action="/logout" class="logout">
    <input type="hidden" name="_csrf" value="${staff.csrfToken}">
    <span class="me">${staff.name}</span> <button type="submit">${t('nav.logout')}</button>
  </form>
</header>
<main>
${parts.before ?? ''}
<div id="live" data-unread="${parts.unread}">${parts.live}</div>
${parts.after ?? ''}
</main>
</body>
</html>`;
}

/** A hidden CSRF field for a form. */
export function csrfField(staff: WebSession): Html {
  return html`<input type="hidden" name="_csrf" value="${staff.csrfToken}">`;
}
