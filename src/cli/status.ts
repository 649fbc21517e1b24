/** `setia status [--json]`: linked or not, connected since when, why it last disconnected, today's traffic, outbox, check-ins. */
import { localTime } from '../core/flow/hours.js';
import { loadFlows } from '../flows/load.js';
import { DEFAULT_TIMEZONE } from '../flows/defaults.js';
import { lockHolder } from '../store/instance-lock.js';
import { Store } from '../store/store.js';
import { sqliteAuthState } from '../whatsapp/auth-state.js';

export interface BotStatus {
  running: boolean;
  pid: number | null;
  linked: boolean;
  connected: boolean;
  since: string | null;
  lastDisconnect: string | null;
  lastDisconnectAt: string | null;
  today: { received: number; sent: number };
  outbox: number;
  checkins: { dueNow: number; sentToday: number; answeredToday: number };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The shop's time zone, for "today"; the default when the flows cannot be read. */
function shopZone(flowsDir: string): string {
  try {
    return loadFlows(flowsDir).flows.settings.timezone;
  } catch {
    return DEFAULT_TIMEZONE;
  }
}

export function readStatus(dbPath: string, flowsDir: string, now: number): BotStatus {
  const store = Store.open(dbPath);
  try {
    const holder = lockHolder(store.db, now);
    const connection = store.waStatus.get();
    const startOfDay = localTime(now, shopZone(flowsDir)).startOf('day').valueOf();
    const counts = store.messages.counts(startOfDay);
    const checkins = store.checkins.counts(startOfDay, now + 1);
    return {
      running: holder !== undefined,
      pid: holder?.pid ?? null,
      linked: sqliteAuthState(store.db).isLinked(),
      connected: holder !== undefined && connection.connected,
      since: iso(connection.since),
      lastDisconnect: connection.lastDisconnect,
      lastDisconnectAt: iso(connection.lastDisconnectAt),
      today: { received: counts.inbound, sent: counts.outbound },
      outbox: counts.pending,
      checkins: { dueNow: store.customers.countCheckinsDue(now), sentToday: checkins.sent, answeredToday: checkins.answered },
    };
  } finally {
    store.close();
  }
}

export function printStatus(status: BotStatus, json: boolean, out: NodeJS.WritableStream = process.stdout): number {
  if (json) {
    out.write(`${JSON.stringify(status)}\n`);
    return 0;
  }
  const lines = [
    `bot:        ${status.running ? `running (pid ${status.pid})` : 'not running'}`,
    `WhatsApp:   ${status.linked ? 'linked' : 'not linked (start the bot and scan the QR)'}, ${status.connected ? `connected since ${status.since}` : 'not connected'}`,
    `last drop:  ${status.lastDisconnect ? `${status.lastDisconnectAt}: ${status.lastDisconnect}` : 'none'}`,
    `today:      ${status.today.received} received, ${status.today.sent} sent`,
    `outbox:     ${status.outbox} waiting to be sent`,
    `check-ins:  ${status.checkins.sentToday} sent today, ${status.checkins.answeredToday} answered; ${status.checkins.dueNow} due now`,
  ];
  out.write(`${lines.join('\n')}\n`);
  return 0;
}
