/** What the bot says and does when the flow files leave a setting out. Customer-facing texts are Indonesian. */
import type { BotMessages } from '../core/flow/types.js';

export const DEFAULT_TIMEZONE = 'Asia/Jakarta';
export const DEFAULT_IDLE_RESET = '30m';
export const DEFAULT_OPT_OUT_WORDS = ['STOP', 'BERHENTI'];
export const DEFAULT_OPT_IN_WORDS = ['MULAI'];

export const DEFAULT_MESSAGES: BotMessages = {
  opted_out: 'Baik, Kak. Kami tidak akan mengirim pesan rutin lagi. Ketik {{opt_in_word}} kapan saja untuk menerimanya kembali.',
  opted_in: 'Terima kasih, Kak! Kami akan kembali mengabari Anda sesekali.',
  retry: 'Maaf, jawabannya belum sesuai.',
  menu_hint: 'Maaf, pilihannya belum ada. Balas dengan angka 1-{{options}} ya.',
  escalated: 'Baik, Kak. Admin kami akan segera membalas di chat ini ya 🙏',
  escalated_closed: 'Baik, Kak. Toko sedang tutup, admin kami akan membalas {{hours.next_open}} ya 🙏',
};

/** Check-in settings when `settings.checkins` leaves them out. */
export const DEFAULT_CHECKINS = {
  send_window: '09:00-19:00',
  days: ['mon-sat'],
  max_per_minute: 6,
  min_gap: '7d',
  answer_window: '3d',
  allow_imported: false,
};

/** Escalation timing when `settings.escalation` leaves it out. */
export const DEFAULT_ESCALATION = {
  remind_after: '5m',
  alert_after: '30m',
  release_after: '12h',
};
