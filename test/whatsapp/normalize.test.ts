import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../src/whatsapp/normalize.js';
import { waMessage } from '../helpers/baileys.js';

const STAFF = '6281211112222@s.whatsapp.net';
const NOTICE_ID = '3EB0NOTIFICATION0001';
const quoting = { stanzaId: NOTICE_ID, participant: '6281100000000@s.whatsapp.net', quotedMessage: { conversation: 'Ada pelanggan…' } };

async function quotedId(message: Parameters<typeof waMessage>[1]): Promise<string | null | undefined> {
  const normalized = await normalize(waMessage(STAFF, message), async () => null, 0);
  if (normalized.type === 'skip') throw new Error(normalized.reason);
  return normalized.message.quotedId;
}

describe('normalize: which message a reply quotes', () => {
  it('takes the quoted message id from a text reply, a captioned photo, and a reply in a disappearing chat', async () => {
    expect(await quotedId({ extendedTextMessage: { text: '#ambil', contextInfo: quoting } })).toBe(NOTICE_ID);
    expect(await quotedId({ imageMessage: { caption: 'bukti kirim', contextInfo: quoting } })).toBe(NOTICE_ID);
    expect(await quotedId({ ephemeralMessage: { message: { extendedTextMessage: { text: 'oke', contextInfo: quoting } } } })).toBe(NOTICE_ID);
  });

  it('has none for a message that quotes nothing', async () => {
    expect(await quotedId({ conversation: 'halo' })).toBeNull();
    expect(await quotedId({ extendedTextMessage: { text: 'https://toko.id', contextInfo: { forwardingScore: 1 } } })).toBeNull();
    expect(await quotedId({ stickerMessage: {} })).toBeNull();
  });
});
