/** A transport with no phone: customers are typed in (`setia chat`) or scripted (flow tests, benchmarks). */
import { randomBytes } from 'node:crypto';
import type { InboundHandler, InboundMessage, MediaToSend, Transport, TransportStatus } from './transport.js';

export interface SentMessage {
  chatId: string;
  text: string;
  messageId: string;
  media?: MediaToSend;
}

const MEDIA_WORDS = { image: 'gambar', document: 'dokumen' } as const;

/** A sent message as the terminal and conversation tests show it: a picture as "[gambar: data/x.jpg] caption". */
export function describeSent(message: Pick<SentMessage, 'text' | 'media'>): string {
  if (!message.media) return message.text;
  return `[${MEDIA_WORDS[message.media.kind]}: ${message.media.path}]${message.text ? ` ${message.text}` : ''}`;
}

export class SimulatorTransport implements Transport {
  private handler: InboundHandler | undefined;
  private readonly listeners: Array<(message: SentMessage) => void> = [];
  private readonly connectedSince: number;

  constructor(now: number = Date.now()) {
    this.connectedSince = now;
  }

  newMessageId(): string {
    return `SIM${randomBytes(8).toString('hex').toUpperCase()}`;
  }

  async send(chatId: string, text: string, messageId: string, media?: MediaToSend): Promise<void> {
    for (const listener of this.listeners) listener({ chatId, text, messageId, ...(media ? { media } : {}) });
  }

  onInbound(handler: InboundHandler): void {
    this.handler = handler;
  }

  /** Calls `listener` for every message the bot or staff send. */
  onSend(listener: (message: SentMessage) => void): void {
    this.listeners.push(listener);
  }

  offSend(listener: (message: SentMessage) => void): void {
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  /** A customer's message arriving, as the WhatsApp transport would deliver it. */
  async deliver(message: InboundMessage): Promise<void> {
    if (!this.handler) throw new Error('no inbound handler registered');
    await this.handler(message);
  }

  status(): TransportStatus {
    return { connected: true, since: this.connectedSince };
  }
}
