import { describe, expect, it } from '@jest/globals';
import { acceptAnswer } from '../../../src/core/flow/expect.js';
import { EngineChat, flowsFrom, MONDAY_10AM } from '../../helpers/engine.js';

const ORDER = (timezone = 'Asia/Jakarta'): string => `
settings: { timezone: ${timezone} }
fallback: f
flows:
  pesan:
    triggers: [pesan]
    steps:
      - { ask: "Mau berapa?", save: jumlah, expect: number }
      - { ask: "Diambil tanggal berapa?", save: tanggal, expect: date }
      - { say: "Siap, {{jumlah}} untuk {{tanggal}}" }
  cek:
    triggers: [pesanan]
    steps: [ { say: "Pesanan dicek" } ]
  f: { steps: [ { say: F } ] }
`;

const order = (now = MONDAY_10AM, timezone?: string): EngineChat => {
  const chat = new EngineChat(flowsFrom(ORDER(timezone)), now);
  chat.say('pesan');
  return chat;
};

const RETRY = 'Maaf, jawabannya belum sesuai.';

describe('answers as customers write them', () => {
  it('saves number words and informal dates in their tidy form', () => {
    const chat = order();
    expect(chat.say('dua lusin aja kak')).toEqual(['Diambil tanggal berapa?']);
    expect(chat.say('sabtu ya')).toEqual(['Siap, 24 untuk 2026-11-28']);
    expect(chat.customer.vars).toEqual({ jumlah: '24', tanggal: '2026-11-28' });
  });

  it('saves money shorthand and a day and month without a year as the next such day', () => {
    const chat = order();
    chat.say('1,5jt');
    expect(chat.say('17 agt')).toEqual(['Siap, 1500000 untuk 2027-08-17']);
  });

  it('repeats the question for two numbers or a day in the past', () => {
    const chat = order();
    expect(chat.say('2 atau 3')).toEqual([RETRY, 'Mau berapa?']);
    expect(chat.say('tiga')).toEqual(['Diambil tanggal berapa?']);
    expect(chat.say('kemarin')).toEqual([RETRY, 'Diambil tanggal berapa?']);
    expect(chat.say('tgl 32')).toEqual([RETRY, 'Diambil tanggal berapa?']);
    expect(chat.say('besok')).toEqual(['Siap, 3 untuk 2026-11-24']);
  });

  it('still starts the flow an answer without a number names', () => {
    expect(order().say('mau cek pesanan saja')).toEqual(['Pesanan dicek']);
  });

  it('counts "besok" from the shop\'s own day, not from UTC', () => {
    const lateEvening = Date.parse('2026-11-23T23:59:00+07:00');
    const chat = order(lateEvening);
    chat.say('1');
    expect(chat.say('besok')).toEqual(['Siap, 1 untuk 2026-11-24']);

    // 23:30 UTC on the 23rd is already 06:30 on the 24th in Jakarta, still the 23rd in London.
    const utcLate = Date.parse('2026-11-23T23:30:00Z');
    const jakarta = order(utcLate);
    jakarta.say('1');
    expect(jakarta.say('hari ini')).toEqual(['Siap, 1 untuk 2026-11-24']);
    const london = order(utcLate, 'Europe/London');
    london.say('1');
    expect(london.say('hari ini')).toEqual(['Siap, 1 untuk 2026-11-23']);
  });
});

describe('acceptAnswer', () => {
  const context = { now: MONDAY_10AM, timezone: 'Asia/Jakarta' };
  const text = (t: string) => ({ kind: 'text' as const, text: t });

  it('keeps full dates and digits working as before', () => {
    expect(acceptAnswer('date', text('25/12/2026'), context)).toBe('2026-12-25');
    expect(acceptAnswer('date', text('2026-08-17'), context)).toBe('2026-08-17');
    expect(acceptAnswer('date', text('31-02-2026'), context)).toBeUndefined();
    expect(acceptAnswer('number', text('1.500.000'), context)).toBe('1500000');
    expect(acceptAnswer('number', text('2,5'), context)).toBe('2.5');
  });

  it('reads a photo caption like text', () => {
    expect(acceptAnswer('number', { kind: 'image', text: '3 pcs' }, context)).toBe('3');
    expect(acceptAnswer('number', { kind: 'image', text: '' }, context)).toBeUndefined();
  });
});
