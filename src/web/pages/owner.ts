/** The owner's page: linking WhatsApp (QR or pairing code, connection status) and the shop's report. */
import type { BotStatus } from '../../cli/status.js';
import { html, type Html } from '../html.js';

export interface LinkingView {
  status: BotStatus;
  /** A QR is waiting to be scanned (served at /owner/qr.png). */
  qr: boolean;
  pairingCode: string | null;
}

export function linkingSection(view: LinkingView): Html {
  const { status } = view;
  const connection = status.connected ? html`connected since ${status.since}` : html`not connected${status.lastDisconnect ? html` (last drop: ${status.lastDisconnect})` : ''}`;
  return html`<section class="linking">
  <h2>WhatsApp</h2>
  <p>${status.linked ? 'Linked' : 'Not linked'}, ${connection}.</p>
  ${view.qr ? html`<p>On the shop's phone open WhatsApp → Linked devices → Link a device, and scan:</p><img class="qr" src="/owner/qr.png?t=${Date.now()}" alt="QR code to link WhatsApp" width="300" height="300">` : ''}
  ${view.pairingCode ? html`<p>Or enter this pairing code on the phone: <strong class="code">${view.pairingCode}</strong></p>` : ''}
  <p class="meta">Today ${status.today.received} received, ${status.today.sent} sent; ${status.outbox} waiting to be sent. Check-ins today: ${status.checkins.sentToday} sent, ${status.checkins.answeredToday} answered.</p>
</section>`;
}
