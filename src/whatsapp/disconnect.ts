/**
 * What to do when the WhatsApp connection closes, by Baileys' disconnect code. Pure, so every path is tested.
 */
import { DisconnectReason } from '@whiskeysockets/baileys';

export type AfterClose =
  | { action: 'reconnect'; delayMs: number; reason: string }
  /** The session is gone (logged out, or unlinked from the phone): wipe it and link again. */
  | { action: 'relink'; reason: string }
  /** Reconnecting would make things worse: another session took over, or WhatsApp refuses the account. */
  | { action: 'stop'; reason: string };

const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;

/** The status code Baileys puts on a disconnect error (a Boom error), if any. */
export function statusCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Exponential backoff from 1 s to 60 s; jitter spreads the delay over its upper half. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function afterClose(code: number | undefined, attempt: number, random: () => number): AfterClose {
  switch (code) {
    case DisconnectReason.restartRequired:
      return { action: 'reconnect', delayMs: 0, reason: 'WhatsApp asked for a restart (normal right after linking)' };
    case DisconnectReason.loggedOut:
      return { action: 'relink', reason: 'this device was logged out or unlinked from the phone; the session is wiped and a new link is needed' };
    case DisconnectReason.connectionReplaced:
      return { action: 'stop', reason: 'another WhatsApp Web session took over this account; stop the other one (or this one) so they do not fight, then start again' };
    case DisconnectReason.forbidden:
      return { action: 'stop', reason: 'WhatsApp refused this account (403); the number may be banned: check the phone before starting again' };
    default:
      return { action: 'reconnect', delayMs: backoffDelay(attempt, random), reason: code === undefined ? 'connection failed' : `connection closed (${code})` };
  }
}
