/** The login page: the only page anyone may see without a session. */
import { html, type Html } from '../html.js';
import type { Locale } from '../i18n/translate.js';

export interface LoginView {
  csrf: string;
  next: string;
  problem?: string;
  /** No account exists yet: say how to create one. */
  noAccounts: boolean;
}

export function loginPage(view: LoginView, { t, language }: Locale): Html {
  return html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('login.title')} · Setia</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<main class="login">
  <h1>${t('login.heading')}</h1>
  ${view.noAccounts ? html`<p class="notice">${t('login.noAccounts')} <code>setia staff add YourName --owner</code>, ${t('login.noAccountsThen')}</p>` : ''}
  ${view.problem ? html`<p class="problem" role="alert">${view.problem}</p>` : ''}
  <form method="post" action="/login">
    <input type="hidden" name="_csrf" value="${view.csrf}">
    <input type="hidden" name="next" value="${view.next}">
    <label>${t('login.name')} <input name="name" autocomplete="username" required autofocus></label>
    <label>${t('login.password')} <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">${t('login.submit')}</button>
  </form>
</main>
</body>
</html>`;
}
