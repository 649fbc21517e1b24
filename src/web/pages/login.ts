/** The login page: the only page anyone may see without a session. */
import { html, type Html } from '../html.js';

export interface LoginView {
  csrf: string;
  next: string;
  problem?: string;
  /** No account exists yet: say how to create one. */
  noAccounts: boolean;
}

export function loginPage(view: LoginView): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · Setia</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<main class="login">
  <h1>Setia inbox</h1>
  ${view.noAccounts ? html`<p class="notice">No staff account exists yet. On the shop's computer run <code>setia staff add YourName --owner</code>, then log in here.</p>` : ''}
  ${view.problem ? html`<p class="problem" role="alert">${view.problem}</p>` : ''}
  <form method="post" action="/login">
    <input type="hidden" name="_csrf" value="${view.csrf}">
    <input type="hidden" name="next" value="${view.next}">
    <label>Name <input name="name" autocomplete="username" required autofocus></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">Log in</button>
  </form>
</main>
</body>
</html>`;
}
