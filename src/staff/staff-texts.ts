/**
 * What the bot writes to staff on WhatsApp. The shops' staff are Indonesian, so the texts are too: short,
 * friendly, and each one says what to do next.
 */
import type { InboundKind } from '../core/flow/types.js';
import { AUTO_RELEASE, SHOP_PHONE } from './desk.js';

/** An escalation as a staff member needs to see it. */
export interface EscalationBrief {
  /** "Sari (+6281234567890)", or whichever of the two is known. */
  customer: string;
  reason: string;
  lastMessage: { kind: InboundKind | string; text: string } | null;
  link: string;
  /** How long the customer has been waiting. */
  waitedMs: number;
}

/** A waiting or claimed conversation, as the help lists it. */
export interface OpenConversation extends Omit<EscalationBrief, 'lastMessage'> {
  claimedBy: string | null;
}

const MEDIA_LABELS: Record<string, string> = {
  image: 'foto',
  video: 'video',
  audio: 'pesan suara',
  document: 'dokumen',
  sticker: 'stiker',
  location: 'lokasi',
};

const LAST_MESSAGE_CHARS = 300;
const HELP_LIST_LENGTH = 5;

const HOW_TO_ANSWER = 'Balas (reply) pesan ini untuk menjawab pelanggan. Perintah: #ambil · #selesai · #catatan <teks>';

export function customerLabel(customer: { name: string | null; phone: string | null; id: string }): string {
  const phone = customer.phone ? `+${customer.phone}` : null;
  if (customer.name && phone) return `${customer.name} (${phone})`;
  return customer.name ?? phone ?? customer.id;
}

/** "baru saja", "15 menit", "2 jam 5 menit", "3 hari". */
export function waited(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'baru saja';
  if (minutes < 60) return `${minutes} menit`;
  const hours = Math.floor(minutes / 60);
  if (hours >= 24) return `${Math.floor(hours / 24)} hari`;
  return minutes % 60 ? `${hours} jam ${minutes % 60} menit` : `${hours} jam`;
}

/** Who did something, as staff call them. */
function who(actor: string | null): string {
  if (actor === AUTO_RELEASE) return 'otomatis, karena lama tidak ada balasan staf';
  if (actor === SHOP_PHONE) return 'HP toko';
  return actor ?? 'staf';
}

function quote(message: NonNullable<EscalationBrief['lastMessage']>): string {
  const text = message.text.length > LAST_MESSAGE_CHARS ? `${message.text.slice(0, LAST_MESSAGE_CHARS)}…` : message.text;
  const media = MEDIA_LABELS[message.kind];
  if (media) return text ? `[${media}] "${text}"` : `[${media}]`;
  return `"${text}"`;
}

function details(brief: EscalationBrief): string {
  const lines = [`👤 ${brief.customer}`, `❓ ${brief.reason}`];
  if (brief.lastMessage) lines.push(`💬 ${quote(brief.lastMessage)}`);
  lines.push(`🔗 ${brief.link}`);
  return lines.join('\n');
}

export const staffTexts = {
  escalated: (staff: string, brief: EscalationBrief): string =>
    `🔔 Halo ${staff}, ada pelanggan yang perlu dibantu.\n\n${details(brief)}\n\n${HOW_TO_ANSWER}`,

  reminder: (staff: string, brief: EscalationBrief): string =>
    `⏰ ${staff}, pelanggan ini sudah menunggu ${waited(brief.waitedMs)} dan belum dijawab.\n\n${details(brief)}\n\n${HOW_TO_ANSWER}`,

  alert: (staff: string, brief: EscalationBrief): string =>
    `⚠️ ${staff}, belum ada staf yang menjawab pelanggan ini selama ${waited(brief.waitedMs)}.\n\n${details(brief)}\n\n${HOW_TO_ANSWER}`,

  transferred: (staff: string, by: string, brief: EscalationBrief): string =>
    `🔀 Halo ${staff}, ${who(by)} mengalihkan pelanggan ini ke kamu. Sekarang kamu yang menangani.\n\n${details(brief)}\n\n${HOW_TO_ANSWER}`,

  replied: (customer: string): string => `✓ Terkirim ke ${customer}.`,

  repliedAfterRelease: (customer: string, releasedBy: string | null): string =>
    `✓ Terkirim ke ${customer}. Tapi percakapan ini baru saja dikembalikan ke bot (${who(releasedBy)}), jadi pesan pelanggan berikutnya dijawab bot.`,

  claimed: (customer: string, from: string | null): string =>
    `✓ Oke, ${customer} sekarang kamu yang tangani${from ? ` (sebelumnya ${from})` : ''}. Ketik #selesai kalau sudah beres.`,

  alreadyYours: (customer: string): string => `${customer} memang sudah kamu tangani. Ketik #selesai kalau sudah beres.`,

  released: (customer: string, withClosingMessage: boolean): string =>
    withClosingMessage ? `✓ Selesai. Pesan penutup terkirim ke ${customer}, dan bot melayani lagi.` : `✓ Selesai. ${customer} kembali dilayani bot.`,

  noted: (customer: string): string => `✓ Catatan untuk ${customer} disimpan. Tidak dikirim ke pelanggan.`,

  noteHowTo: 'Tulis catatannya setelah #catatan, misalnya: #catatan minta dikirim besok pagi',

  alreadyReleased: (customer: string, releasedBy: string | null): string =>
    `Percakapan dengan ${customer} sudah dikembalikan ke bot (${who(releasedBy)}), jadi pesanmu tidak diteruskan.`,

  textOnly: 'Maaf, lewat sini hanya teks yang bisa diteruskan ke pelanggan. Foto atau file kirim langsung dari HP toko, ya.',

  notDone: 'Maaf, itu belum berhasil diproses. Coba lagi sebentar lagi, atau buka inbox.',

  unknownQuickReply: (written: string, names: string[]): string =>
    names.length
      ? `Jawaban cepat "${written}" tidak ada, jadi tidak ada yang dikirim ke pelanggan. Yang tersedia: ${names.join(' · ')}`
      : `Jawaban cepat "${written}" tidak ada (toko belum punya jawaban cepat), jadi tidak ada yang dikirim ke pelanggan.`,

  unknownCommand: (word: string, help: string): string => `Perintah "#${word}" tidak dikenal.\n\n${help}`,

  help: (staff: string, open: OpenConversation[]): string =>
    [
      `Halo ${staff} 👋 Cara menjawab pelanggan dari sini:`,
      '• Balas (reply) pesan notifikasinya: pesanmu diteruskan ke pelanggan',
      '• Balas dengan #ambil: kamu yang menangani',
      '• Balas dengan #selesai [pesan penutup]: pelanggan kembali dilayani bot',
      '• Balas dengan #catatan <teks>: catatan internal, tidak dikirim',
      '',
      openList(open),
    ].join('\n'),
};

function openList(open: OpenConversation[]): string {
  if (!open.length) return 'Tidak ada percakapan yang menunggu. 👍';
  const shown = open.slice(0, HELP_LIST_LENGTH).map((conversation, index) => {
    const state = conversation.claimedBy ? `ditangani ${who(conversation.claimedBy)}` : `menunggu ${waited(conversation.waitedMs)}`;
    return `${index + 1}. ${conversation.customer} · ${conversation.reason} · ${state}\n   ${conversation.link}`;
  });
  const more = open.length > HELP_LIST_LENGTH ? [`…dan ${open.length - HELP_LIST_LENGTH} lainnya di inbox.`] : [];
  return [`Percakapan terbuka (${open.length}):`, ...shown, ...more].join('\n');
}
