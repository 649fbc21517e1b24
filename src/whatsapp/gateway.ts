/**
 * The WhatsApp transport: Baileys messages in, texts out. Incoming batches are normalised one message at a time,
 * in order, and handed to the pipeline (which keeps each chat in order); a malformed message is logged and
 * skipped. The socket is replaced on every reconnect; the gateway outlives them.
 */
import { generateMessageIDV2, type WAMessage, type WASocket } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { InboundHandler, Transport, TransportStatus } from '../transport/transport.js';
import { normalize } from './normalize.js';

export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}

export class WhatsAppGateway implements Transport {
  private socket: WASocket | undefined;
  private handler: InboundHandler | undefined;
  private ownHandler: InboundHandler | undefined;
  private intake: Promise<void> = Promise.resolve();
  private connectedSince: number | null = null;

  constructor(
    private readonly log: Logger,
    private readonly clock: () => number,
  ) {}

  /** Listens to a new socket (after each reconnect). */
  attach(socket: WASocket): void {
    this.socket = socket;
    this.connectedSince = null;
    socket.ev.on('messages.upsert', ({ messages, type }) => {
      // `append` carries the backlog delivered after a reconnect: customers' messages too.
      if (type === 'notify' || type === 'append') this.enqueue(messages);
    });
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

  /** Resolves when every message received so far has been handed on. */
  drained(): Promise<void> {
    return this.intake;
  }

  newMessageId(): string {
    return generateMessageIDV2(this.socket?.user?.id);
  }

  async send(chatId: string, text: string, messageId: string): Promise<void> {
    if (!this.socket || this.connectedSince === null) throw new NotConnectedError('WhatsApp is not connected');
    await this.socket.sendMessage(chatId, { text }, { messageId });
  }

  status(): TransportStatus {
    return { connected: this.connectedSince !== null, since: this.connectedSince };
  }

  private enqueue(messages: WAMessage[]): void {
    this.intake = this.intake.then(async () => {
      for (const raw of messages) await this.receive(raw);
    });
  }

  private async receive(raw: WAMessage): Promise<void> {
    try {
      const lidMapping = this.socket?.signalRepository?.lidMapping;
      const normalized = await normalize(raw, async (lid) => (lidMapping ? lidMapping.getPNForLID(lid) : null), this.clock());
      if (normalized.type === 'skip') {
        this.log.debug({ messageId: raw.key?.id, reason: normalized.reason }, 'WhatsApp message skipped');
        return;
      }
      const handler = normalized.type === 'own' ? this.ownHandler : this.handler;
      // Not awaited: the pipeline queues per chat at once, so order holds and chats run in parallel.
      void handler?.(normalized.message);
    } catch (error) {
      this.log.warn({ err: error, messageId: raw?.key?.id }, 'malformed WhatsApp message skipped');
    }
  }
}
