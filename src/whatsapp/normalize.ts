/**
 * From a Baileys message to Setia's own inbound type. Only one-to-one chats with customers count; groups,
 * status updates, newsletters and broadcast lists are skipped. Content is unwrapped first (ephemeral,
 * view-once, document-with-caption, edited), and the customer is keyed by one stable id: the phone-number jid
 * whenever it is known (from `remoteJidAlt` or the LID mapping), else the LID.
 */
import {
  getContentType, isJidBroadcast, isJidGroup, isJidNewsletter, isJidStatusBroadcast, isLidUser, isPnUser, jidNormalizedUser, normalizeMessageContent,
  type proto, type WAMessage,
} from '@whiskeysockets/baileys';
import type { InboundKind } from '../core/flow/types.js';
import type { InboundMessage } from '../transport/transport.js';

/** Finds the phone-number jid Baileys knows for a LID, or null. */
export type PhoneForLid = (lid: string) => Promise<string | null>;

export type Normalized =
  | { type: 'customer'; message: InboundMessage }
  /** Sent from the shop's own account: the bot's echo, or a person typing on the shop's phone. */
  | { type: 'own'; message: InboundMessage }
  | { type: 'skip'; reason: string };

const MEDIA: Partial<Record<keyof proto.IMessage, InboundKind>> = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
};

interface Content {
  kind: InboundKind;
  text: string;
  location?: InboundMessage['location'];
  quotedId?: string | null;
}

/** The kind, text and quoted message of a message's content; everything unanswerable (reactions, polls, edits…) is 'other'. */
export function readContent(message: proto.IMessage | null | undefined): Content {
  const content = normalizeMessageContent(message);
  const type = getContentType(content);
  if (!content || !type) return { kind: 'other', text: '' };
  return { ...kindAndText(content, type), quotedId: quotedIdOf(content, type) };
}

/** A reply keeps the id of the message it quotes in its part's contextInfo (texts with a quote, captions, locations…). */
function quotedIdOf(content: proto.IMessage, type: keyof proto.IMessage): string | null {
  const part = content[type] as { contextInfo?: proto.IContextInfo | null } | string | null | undefined;
  return typeof part === 'object' ? part?.contextInfo?.stanzaId ?? null : null;
}

function kindAndText(content: proto.IMessage, type: keyof proto.IMessage): Omit<Content, 'quotedId'> {
  const media = MEDIA[type];
  if (media) {
    const part = content[type] as { caption?: string | null } | null | undefined;
    return { kind: media, text: part?.caption ?? '' };
  }
  switch (type) {
    case 'conversation':
      return { kind: 'text', text: content.conversation ?? '' };
    case 'extendedTextMessage':
      return { kind: 'text', text: content.extendedTextMessage?.text ?? '' };
    case 'locationMessage':
    case 'liveLocationMessage': {
      const place = content[type]!;
      const name = 'name' in place ? place.name ?? undefined : undefined;
      return { kind: 'location', text: name ?? '', location: { latitude: place.degreesLatitude ?? 0, longitude: place.degreesLongitude ?? 0, name } };
    }
    case 'buttonsResponseMessage': {
      const reply = content.buttonsResponseMessage!;
      return { kind: 'text', text: reply.selectedDisplayText ?? reply.selectedButtonId ?? '' };
    }
    case 'listResponseMessage': {
      const reply = content.listResponseMessage!;
      return { kind: 'text', text: reply.title ?? reply.singleSelectReply?.selectedRowId ?? '' };
    }
    case 'templateButtonReplyMessage': {
      const reply = content.templateButtonReplyMessage!;
      return { kind: 'text', text: reply.selectedDisplayText ?? reply.selectedId ?? '' };
    }
    default:
      return { kind: 'other', text: '' };
  }
}

function skippedChat(jid: string): string | undefined {
  if (isJidStatusBroadcast(jid)) return 'status update';
  if (isJidGroup(jid)) return 'group';
  if (isJidNewsletter(jid)) return 'newsletter';
  if (isJidBroadcast(jid)) return 'broadcast list';
  if (!isPnUser(jid) && !isLidUser(jid)) return 'not a person';
  return undefined;
}

function timestamp(value: WAMessage['messageTimestamp'], fallback: number): number {
  const seconds = Number(value ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallback;
}

export async function normalize(raw: WAMessage, phoneForLid: PhoneForLid, now: number): Promise<Normalized> {
  const { key } = raw;
  const remote = key?.remoteJid;
  if (!key?.id || !remote) return { type: 'skip', reason: 'no id or chat' };
  const skipped = skippedChat(remote);
  if (skipped) return { type: 'skip', reason: skipped };

  const alt = key.remoteJidAlt ?? undefined;
  const phoneJid = isPnUser(remote) ? remote : isPnUser(alt) ? alt : isLidUser(remote) ? await phoneForLid(remote) : null;
  const chatId = jidNormalizedUser(phoneJid ?? remote);
  const lidJid = isLidUser(remote) ? remote : isLidUser(alt) ? alt : undefined;
  const content = readContent(raw.message);
  const message: InboundMessage = {
    id: key.id,
    chatId,
    lid: lidJid ? jidNormalizedUser(lidJid) : null,
    phone: phoneJid ? jidNormalizedUser(phoneJid).split('@')[0]! : null,
    pushName: key.fromMe ? null : raw.pushName ?? null,
    ...content,
    at: timestamp(raw.messageTimestamp, now),
  };
  return { type: key.fromMe ? 'own' : 'customer', message };
}
