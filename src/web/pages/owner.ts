/** The owner's page: linking WhatsApp (QR or pairing code, connection status) and the shop's report. */
import type { BotStatus } from '../../cli/status.js';
import { html, type Html } from '../html.js';
import type { Translate } from '../i18n/translate.js';

export interface LinkingView {
  status: BotStatus;
  /** A QR is waiting to be scanned (served at /owner/qr.png). */
  qr: boolean;
  pairingCode: string | null;
}

export function linkingSection(view: LinkingView, t: Translate): Html {
  const { status } = view;
  const connection = status.connected ? t('owner.connectedSince', { since: status.since ?? '' }) : html`${t('owner.notConnected')}${status.lastDisconnect ? html` ${t('owner.lastDrop', { at: status.lastDisconnect })}` : ''}`;
  return html`<section class="linking">
  <h2>WhatsApp</h2>
  <p>${status.linked ? t('owner.linked') : t('owner.notLinked')}, ${connection}.</p>
  ${view.qr ? html`<p>${t('owner.scan')}</p><img class="qr" src="/owner/qr.png?t=${Date.now()}" alt="${t('owner.qrAlt')}" width="300" height="300">` : ''}
  ${view.pairingCode ? html`<p>${t('owner.pairing')} <strong class="code">${view.pairingCode}</strong></p>` : ''}
  <p class="meta">${t('owner.today', { received: status.today.received, sent: status.today.sent, outbox: status.outbox, checkinsSent: status.checkins.sentToday, checkinsAnswered: status.checkins.answeredToday })}</p>
</section>`;
}
