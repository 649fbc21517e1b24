/**
 * The owner's staff accounts: who can log in, with their role; add a colleague, reset a password, remove an
 * account. A new or reset password is shown once, right after the change, and never stored in clear.
 */
import type { AuditEntry } from '../../store/audit.js';
import type { StaffAccount } from '../../store/staff-accounts.js';
import type { WebSession } from '../../store/web-sessions.js';
import { html, type Html } from '../html.js';
import type { MessageKey } from '../i18n/id.js';
import type { Locale } from '../i18n/translate.js';
import { clockTime } from './format.js';
import { csrfField } from './layout.js';

/** What the last change left to say: a one-time password to hand over, or why nothing changed. */
export type AccountNotice = { password: string; name: string } | { problem: string } | { done: string };

function notice(value: AccountNotice | undefined, { t }: Locale): Html {
  if (!value) return html``;
  if ('password' in value) {
    return html`<div class="one-time" role="status"><p>${t('accounts.oneTime', { name: value.name })} <strong class="code">${value.password}</strong></p><p>${t('accounts.oneTimeHint', { name: value.name })}</p></div>`;
  }
  if ('problem' in value) return html`<p class="problem" role="alert">${value.problem}</p>`;
  return html`<p class="notice" role="status">${value.done}</p>`;
}

function account(item: StaffAccount, staff: WebSession, locale: Locale, now: number): Html {
  const { t } = locale;
  const base = `/owner/accounts/${item.id}`;
  return html`<li class="account"><span class="who">${item.name}</span> <span class="role">${t(`accounts.role.${item.role}`)}</span>
  <span class="meta">${t('accounts.since', { date: clockTime(item.createdAt, locale.zone, now, locale.language) })}</span>
  <form method="post" action="${base}/reset" class="inline">${csrfField(staff)}<button type="submit">${t('accounts.reset')}</button></form>
  <form method="post" action="${base}/remove" class="inline">${csrfField(staff)}<button type="submit">${t('accounts.remove')}</button></form>
</li>`;
}

function history(entries: AuditEntry[], locale: Locale, now: number): Html {
  if (!entries.length) return html``;
  const line = (entry: AuditEntry): Html =>
    html`<li><time>${clockTime(entry.at, locale.zone, now, locale.language)}</time> ${entry.actor} ${locale.t(`audit.${entry.action}` as MessageKey)} ${entry.target}</li>`;
  return html`<h3>${locale.t('accounts.history')}</h3><ul class="audit">${entries.map(line)}</ul>`;
}

export interface AccountsView {
  accounts: StaffAccount[];
  audit: AuditEntry[];
  notice?: AccountNotice;
}

export function accountsSection(view: AccountsView, staff: WebSession, locale: Locale, now: number): Html {
  const { t } = locale;
  return html`<section class="accounts">
  <h2>${t('accounts.title')}</h2>
  ${notice(view.notice, locale)}
  <ul>${view.accounts.map((item) => account(item, staff, locale, now))}</ul>
  <form method="post" action="/owner/accounts" class="add-account">
    ${csrfField(staff)}
    <label>${t('accounts.name')} <input name="name" maxlength="40" required></label>
    <label>${t('accounts.role')} <select name="role"><option value="staff">${t('accounts.role.staff')}</option><option value="owner">${t('accounts.role.owner')}</option></select></label>
    <button type="submit">${t('accounts.add')}</button>
  </form>
  ${history(view.audit, locale, now)}
</section>`;
}
