/**
 * The edge to WhatsApp. Two implementations: Baileys (the real account) and the simulator (`setia chat`,
 * flow tests, benchmarks). Both hand every customer message to the one inbound handler.
 */
import type { Inbound, OutgoingMedia } from '../core/flow/types.js';

/** A customer's message, normalised from whatever the transport received. */
export interface InboundMessage extends Inbound {
  /** The transport's message id; the same id delivered twice is handled once. */
  id: string;
  /** The stable WhatsApp id of the customer's chat. */
  chatId: string;
  /** The customer's LID (`…@lid`) when WhatsApp told it alongside their number: an earlier LID-only record joins this chat. */
  lid?: string | null;
  phone?: string | null;
  /** The name the customer's WhatsApp profile shows. */
  pushName?: string | null;
  /** Epoch ms when the customer sent it. */
  at: number;
  /** The id of the message this one replies to (quotes), when it is a reply: staff answer a notification this way. */
  quotedId?: string | null;
  /** A customer's photo or file as kept in the shop folder (`data/media/inbound/<id>.jpg`); none when it could not be fetched. */
  mediaPath?: string | null;
}

/** A picture or file to send: its path as stored (for display) and the file on disk. */
export interface MediaToSend extends OutgoingMedia {
  /** Absolute path of the file to read. */
  file: string;
}

export type InboundHandler = (message: InboundMessage) => Promise<void>;

export interface TransportStatus {
  connected: boolean;
  since: number | null;
}

export interface Transport {
  /** A fresh message id, recorded in the outbox before the message is sent under it. */
  newMessageId(): string;
  /** Sends a text, or `media` with the text as its caption; resolves once the transport has accepted it, rejects if it could not. */
  send(chatId: string, text: string, messageId: string, media?: MediaToSend): Promise<void>;
  onInbound(handler: InboundHandler): void;
  status(): TransportStatus;
}
