/**
 * The WhatsApp transport: Baileys messages in, texts out. Incoming batches are normalised one message at a time,
 * in order, and handed to the pipeline (which keeps each chat in order); a malformed message is logged and
 * skipped. The socket is replaced on every reconnect; the gateway outlives them.
 */
import { downloadMediaMessage, generateMessageIDV2, isLidUser, isPnUser, type WAMessage, type WASocket } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import { PermanentSendError } from '../errors.js';
import type { InboundHandler, MediaToSend, Transport, TransportStatus } from '../transport/transport.js';
import { InboundMedia, type MediaDownload } from './inbound-media.js';
import { mediaContent } from './media-content.js';
import { statusCode } from './disconnect.js';
import { normalize } from './normalize.js';

/** WhatsApp's answers that retrying cannot change. */
const PERMANENT: Record<number, string> = {
  463: 'WhatsApp does not let this account start a chat with this number (463)',
  400: 'WhatsApp rejected the message as malformed (400)',
  404: 'WhatsApp does not know this number (404)',
};

function permanentOrNot(error: unknown): unknown {
  const reason = PERMANENT[statusCode(error) ?? 0];
  return reason ? new PermanentSendError(reason) : error;
}

export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}

/** How the bot types: like a person, so the shop's number does not look like a bot to customers or WhatsApp. */
export interface Pacing {
  /** "typing…" lasts this long per character of the reply, within the bounds below; 0 turns pacing off. */
  msPerChar: number;
  minTypingMs: number;
  maxTypingMs: number;
  /** A pause after each message, so consecutive messages do not arrive as one burst. */
  pauseMs: number;
}

export const DEFAULT_PACING: Pacing = { msPerChar: 40, minTypingMs: 600, maxTypingMs: 4_000, pauseMs: 500 };

export function typingMs(text: string, pacing: Pacing): number {
  if (pacing.msPerChar === 0) return 0;
  return Math.min(pacing.maxTypingMs, Math.max(pacing.minTypingMs, text.length * pacing.msPerChar));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface GatewayOptions {
  log: Logger;
  clock: () => number;
  pacing?: Pacing;
  /** Tests replace the waiting. */
  wait?: (ms: number) => Promise<void>;
  /** Where customers' photos and files are kept (the shop folder), and, in tests, how they are fetched. */
  inboundMedia?: { root: string; download?: MediaDownload };
}

export class WhatsAppGateway implements Transport {
  private socket: WASocket | undefined;
  private handler: InboundHandler | undefined;
  private ownHandler: InboundHandler | undefined;
  private intake: Promise<void> = Promise.resolve();
  /** When each chat was last sent a message, for the pause before the next (kept for one pause). */
  private readonly lastSent = new Map<string, number>();
  private connectedSince: number | null = null;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly pacing: Pacing;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly media: InboundMedia | undefined;

  constructor(options: GatewayOptions) {
    this.log = options.log;
    this.clock = options.clock;
    this.pacing = options.pacing ?? DEFAULT_PACING;
    this.wait = options.wait ?? sleep;
    const { inboundMedia } = options;
    if (inboundMedia) this.media = new InboundMedia(inboundMedia.root, inboundMedia.download ?? ((raw) => this.downloadMedia(raw)), this.log);
  }

  /** A message's media from WhatsApp's servers; an expired link is renewed through the phone (updateMediaMessage). */
  private async downloadMedia(raw: WAMessage): Promise<AsyncIterable<Uint8Array>> {
    const socket = this.socket;
    if (!socket) throw new NotConnectedError('WhatsApp is not connected');
    return downloadMediaMessage(raw, 'stream', {}, { reuploadRequest: socket.updateMediaMessage, logger: this.log as never });
  }

  private accepting = true;

  /** Listens to a new socket (after each reconnect). */
  attach(socket: WASocket): void {
    this.socket = socket;
    this.connectedSince = null;
    socket.ev.on('messages.upsert', ({ messages, type }) => {
      // `append` carries the backlog delivered after a reconnect: customers' messages too.
      if (this.accepting && (type === 'notify' || type === 'append')) this.enqueue(messages);
    });
  }

  /** Shutdown: take no new messages (WhatsApp delivers them again after the restart). */
  stopTaking(): void {
    this.accepting = false;
  }

  /** Called by the connection when the socket opens or closes. */
  setConnected(connected: boolean): void {
    this.connectedSince = connected ? this.clock() : null;
  }

  onInbound(handler: InboundHandler): void {
    this.handler = handler;
  }

  /** Messages sent from the shop's own account: the bot's echoes and what people type on the shop's phone. */
  onOwnMessage(handler: InboundHandler): void {
    this.ownHandler = handler;
  }

  /**
   * Asks WhatsApp for the LIDs (`…@lid`) of these numbers (digits with country code) unless Baileys knows them;
   * Baileys keeps them in the session. A message that then arrives from such a LID with no number beside it
   * is still known as that number's: staff who write from a LID are recognised as staff. Never rejects.
   */
  async learnLids(phones: string[]): Promise<void> {
    const lidMapping = this.socket?.signalRepository?.lidMapping;
    if (!lidMapping || !phones.length) return;
    try {
      const found = await lidMapping.getLIDsForPNs(phones.map((phone) => `${phone}@s.whatsapp.net`));
      this.log.debug({ numbers: phones.length, found: found?.length ?? 0 }, 'LIDs of staff numbers looked up');
    } catch (error) {
      this.log.warn({ err: error }, 'the LIDs of staff numbers could not be looked up; staff writing from a LID may not be recognised');
    }
  }

  /** Resolves when every message received so far has been handed on. */
  drained(): Promise<void> {
    return this.intake;
  }

  newMessageId(): string {
    return generateMessageIDV2(this.socket?.user?.id);
  }

  async send(chatId: string, text: string, messageId: string, media?: MediaToSend): Promise<void> {
    if (!isPnUser(chatId) && !isLidUser(chatId)) throw new PermanentSendError(`"${chatId}" is not a WhatsApp number`);
    const socket = this.socket;
    if (!socket || this.connectedSince === null) throw new NotConnectedError('WhatsApp is not connected');
    await this.pauseAfterLast(chatId);
    const typing = typingMs(text, this.pacing);
    if (typing > 0) {
      await this.presence(socket, 'composing', chatId);
      await this.wait(typing);
      await this.presence(socket, 'paused', chatId);
    }
    let content;
    try {
      content = media ? await mediaContent(media, text) : { text };
    } catch (error) {
      throw new PermanentSendError(`the file ${media!.path} cannot be read: ${(error as Error).message}`);
    }
    try {
      await socket.sendMessage(chatId, content, { messageId });
    } catch (error) {
      throw permanentOrNot(error);
    }
    this.sentJustNow(chatId);
  }

  /**
   * The pause between a chat's messages is taken before the next one, not after a send: a send returns as soon
   * as WhatsApp has the message, so the outbox marks it sent at once (a crash in between sends it again).
   */
  private async pauseAfterLast(chatId: string): Promise<void> {
    const last = this.lastSent.get(chatId);
    if (last !== undefined && this.pacing.msPerChar > 0) await this.wait(Math.max(0, last + this.pacing.pauseMs - this.clock()));
  }

  private sentJustNow(chatId: string): void {
    const at = this.clock();
    this.lastSent.set(chatId, at);
    setTimeout(() => this.lastSent.get(chatId) === at && this.lastSent.delete(chatId), this.pacing.pauseMs).unref();
  }

  /** "typing…" is a courtesy: failing to show it must never stop the reply. */
  private async presence(socket: WASocket, state: 'composing' | 'paused', chatId: string): Promise<void> {
    try {
      await socket.sendPresenceUpdate(state, chatId);
    } catch (error) {
      this.log.debug({ err: error, chatId }, 'could not show typing');
    }
  }

  status(): TransportStatus {
    return { connected: this.connectedSince !== null, since: this.connectedSince };
  }

  /** Blue ticks, as a person reading the message would give. */
  private markRead(raw: WAMessage): void {
    this.socket?.readMessages([raw.key]).catch((error: unknown) => this.log.debug({ err: error }, 'could not send a read receipt'));
  }

  /** One batch after another; a batch that fails is logged, never left to stop the ones after it. */
  private enqueue(messages: WAMessage[]): void {
    this.intake = this.intake
      .then(async () => {
        if (!Array.isArray(messages)) {
          this.log.warn({ messages: typeof messages }, 'WhatsApp event without a list of messages skipped');
          return;
        }
        for (const raw of messages) await this.receive(raw);
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'a batch of WhatsApp messages failed; the next ones are taken'));
  }

  private async receive(raw: WAMessage): Promise<void> {
    try {
      const lidMapping = this.socket?.signalRepository?.lidMapping;
      const normalized = await normalize(raw, async (lid) => (lidMapping ? lidMapping.getPNForLID(lid) : null), this.clock());
      if (normalized.type === 'skip') {
        this.log.debug({ messageId: raw.key?.id, reason: normalized.reason }, 'WhatsApp message skipped');
        return;
      }
      if (normalized.type === 'customer') {
        this.markRead(raw);
        // Awaited, so a chat's messages stay in order; the fetch is bounded by the size limit.
        if (this.media && (normalized.message.kind === 'image' || normalized.message.kind === 'document')) {
          normalized.message.mediaPath = await this.media.keep(raw, normalized.message.id);
        }
      }
      const handler = normalized.type === 'own' ? this.ownHandler : this.handler;
      // Not awaited: the pipeline queues per chat at once, so order holds and chats run in parallel.
      void handler?.(normalized.message);
    } catch (error) {
      this.log.warn({ err: error, messageId: raw?.key?.id }, 'malformed WhatsApp message skipped');
    }
  }
}
