import { beforeEach, describe, expect, it } from '@jest/globals';
import { SHOP_PHONE } from '../../src/staff/desk.js';
import { waMessage } from '../helpers/baileys.js';
import { MONDAY_10AM } from '../helpers/engine.js';
import { BUDI, CUSTOMER, RINA, StaffRig, staffRigPerTest } from '../helpers/staff-rig.js';

const rigs = staffRigPerTest();
let rig: StaffRig;
beforeEach(() => {
  rig = rigs.current();
});

/** The customer asks for a person; returns the id of the notification Rina got. */
async function escalate(): Promise<string> {
  await rig.customerSays('tolong sambungkan ke staf');
  return rig.lastTo(RINA).id;
}

const escalation = () => rig.store.escalations.byId(1)!;

/** Holds every send of the shop's account until `letGo`; `sending` resolves when the first one is held. */
function holdSends(): { sending: Promise<void>; letGo: () => void } {
  const send = rig.socket.sendMessage;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const sending = new Promise<void>((resolve) => {
    rig.socket.sendMessage = (async (...args: Parameters<typeof send>) => (resolve(), await gate, send(...args))) as typeof send;
  });
  return {
    sending,
    letGo: () => {
      rig.socket.sendMessage = send;
      open();
    },
  };
}

/** Resolves once the next staff reply has asked the desk for the chat's turn. */
function replyQueued(): Promise<void> {
  const reply = rig.desk.reply.bind(rig.desk);
  return new Promise((resolve) => {
    rig.desk.reply = (...args) => {
      rig.desk.reply = reply;
      const queued = reply(...args);
      resolve();
      return queued;
    };
  });
}
const customerTexts = (): string[] => rig.textsTo(CUSTOMER);

describe('staff commands from WhatsApp', () => {
  it("sends a staff member's quoted reply to the customer exactly once, even when WhatsApp delivers it twice", async () => {
    const notice = await escalate();
    const reply = rig.staffReply(RINA, notice, 'Halo Kak Sari, saya Rina. Paketnya saya cek ya.');
    await rig.deliver('notify', reply);
    await rig.deliver('append', reply);
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.', 'Halo Kak Sari, saya Rina. Paketnya saya cek ya.']);
    expect(rig.textsTo(RINA).slice(1)).toEqual(['✓ Terkirim ke Sari (+6281234567890).']);
    expect(escalation()).toMatchObject({ status: 'claimed', claimedBy: 'Rina', firstResponseAt: MONDAY_10AM });
    const staffMessages = rig.store.messages.transcript(rig.customer().rowId).filter((m) => m.sender === 'staff');
    expect(staffMessages.map((m) => [m.author, m.status])).toEqual([['Rina', 'sent']]);
    // The request id is written with the reply itself: even a redelivery racing a crash acts once.
    await rig.desk.reply(rig.customer().rowId, 'Rina', 'Halo Kak Sari, saya Rina. Paketnya saya cek ya.', reply.key.id!);
    expect(customerTexts()).toHaveLength(2);
  });

  it('#ambil claims the conversation for the staff member, and a colleague can take it over', async () => {
    const notice = await escalate();
    await rig.staffSays(RINA, notice, '#ambil');
    expect(escalation()).toMatchObject({ status: 'claimed', claimedBy: 'Rina' });
    expect(rig.lastTo(RINA).text).toBe('✓ Oke, Sari (+6281234567890) sekarang kamu yang tangani. Ketik #selesai kalau sudah beres.');
    await rig.staffSays(BUDI, rig.lastTo(BUDI).id, '#Ambil');
    expect(escalation()).toMatchObject({ claimedBy: 'Budi' });
    expect(rig.lastTo(BUDI).text).toContain('(sebelumnya Rina)');
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.']);
  });

  it('#selesai with a closing message says goodbye for the shop and the bot answers the next message again', async () => {
    const notice = await escalate();
    await rig.customerSays('halo? masih ada orang?');
    await rig.staffSays(RINA, notice, '#selesai Sudah beres ya Kak, terima kasih!');
    expect(escalation()).toMatchObject({ status: 'released', releasedBy: 'Rina' });
    expect(rig.lastTo(RINA).text).toBe('✓ Selesai. Pesan penutup terkirim ke Sari (+6281234567890), dan bot melayani lagi.');
    await rig.customerSays('oke makasih');
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.', 'Sudah beres ya Kak, terima kasih!', '[oke makasih]']);

    await rig.staffSays(BUDI, rig.lastTo(BUDI).id, 'Halo Kak, ada yang bisa dibantu?');
    expect(rig.lastTo(BUDI).text).toBe('Percakapan dengan Sari (+6281234567890) sudah dikembalikan ke bot (Rina), jadi pesanmu tidak diteruskan.');
    expect(customerTexts()).toHaveLength(3);
  });

  it('a quoted /ongkir sends that quick reply filled for the customer, as the reply box does', async () => {
    const notice = await escalate();
    await rig.staffSays(RINA, notice, '/ongkir');
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.', 'Halo Kak Sari, ongkir ke Bandung Rp10.000 ya.']);
    expect(rig.lastTo(RINA).text).toBe('✓ Terkirim ke Sari (+6281234567890).');
    expect(escalation()).toMatchObject({ status: 'claimed', claimedBy: 'Rina' });
  });

  it('an unknown quick reply sends the customer nothing and tells the staff member the names there are', async () => {
    const notice = await escalate();
    await rig.staffSays(RINA, notice, '/ongkos');
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.']);
    expect(rig.lastTo(RINA).text).toBe('Jawaban cepat "/ongkos" tidak ada, jadi tidak ada yang dikirim ke pelanggan. Yang tersedia: /ongkir · /rekening');
    expect(escalation().status).toBe('waiting');
  });

  it('recognises a staff member who writes from a LID with no number beside it, once the LIDs of staff numbers were looked up', async () => {
    const notice = await escalate();
    const RINA_LID = '99887766554433@lid';
    // WhatsApp's answer to Baileys' number-to-LID lookup (a USync query): there is no server here.
    const asked: string[][] = [];
    Object.assign(rig.socket.signalRepository.lidMapping, { pnToLIDFunc: async (pns: string[]) => (asked.push(pns), pns.filter((pn) => pn === RINA).map((pn) => ({ pn, lid: RINA_LID }))) });
    await rig.gateway.learnLids(['6281211112222', '6281233334444']);
    expect(asked).toEqual([[RINA, BUDI]]);
    await rig.staffSays(RINA_LID, notice, 'Halo Kak, saya Rina.');
    await rig.staffSays(RINA_LID, null, 'staf');
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.', 'Halo Kak, saya Rina.']);
    expect(rig.textsTo(RINA).map((text) => text.split('\n')[0])).toEqual([
      '🔔 Halo Rina, ada pelanggan yang perlu dibantu.',
      '✓ Terkirim ke Sari (+6281234567890).',
      'Halo Rina 👋 Cara menjawab pelanggan dari sini:',
    ]);
    expect(rig.store.customers.get(RINA_LID)).toBeUndefined();
  });

  it('#catatan keeps a private note on the customer and sends the customer nothing', async () => {
    const notice = await escalate();
    await rig.staffSays(RINA, notice, '#catatan pelanggan lama, minta dikirim besok pagi');
    expect(rig.store.notes.list(rig.customer().rowId)).toMatchObject([{ author: 'Rina', text: 'pelanggan lama, minta dikirim besok pagi' }]);
    expect(rig.lastTo(RINA).text).toBe('✓ Catatan untuk Sari (+6281234567890) disimpan. Tidak dikirim ke pelanggan.');
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.']);
    expect(escalation().status).toBe('waiting');
  });

  it("never runs a customer flow for a staff phone, nor takes the shop's messages to staff for a takeover", async () => {
    await escalate();
    await rig.staffSays(RINA, null, 'staf'); // a customer trigger word, from a staff number
    await rig.deliver('append', waMessage(RINA, { conversation: rig.lastTo(RINA).text }, { key: { fromMe: true, id: rig.lastTo(RINA).id } }));
    expect(rig.store.customers.get(RINA)).toBeUndefined();
    expect(rig.store.escalations.unreleased()).toHaveLength(1);
    expect(rig.sent.filter((m) => m.to === RINA).map((m) => m.text.split('\n')[0])).toEqual([
      '🔔 Halo Rina, ada pelanggan yang perlu dibantu.',
      'Halo Rina 👋 Cara menjawab pelanggan dari sini:',
    ]);
  });

  it('answers unquoted text with how to use it and the conversations waiting, and an unknown command likewise', async () => {
    await escalate();
    const notice = rig.lastTo(BUDI).id;
    await rig.staffSays(BUDI, null, 'ada yang nunggu?');
    const help = rig.lastTo(BUDI).text;
    expect(help).toContain('Balas (reply) pesan notifikasinya');
    expect(help).toContain('1. Sari (+6281234567890) · Minta staf · menunggu baru saja');
    await rig.staffSays(BUDI, notice, '#batal');
    expect(rig.lastTo(BUDI).text).toMatch(/^Perintah "#batal" tidak dikenal\.\n\nHalo Budi/);
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.']);
  });

  it('a reply that waited for the chat while the auto-release took it still reaches the customer, and staff are told', async () => {
    const notice = await escalate();
    await rig.staffSays(RINA, notice, 'Halo Kak, saya Rina.');
    const held = holdSends(); // Rina's next message is still "typing…": the chat is busy
    void rig.desk.reply(rig.customer().rowId, 'Rina', 'Saya cek dulu ya');
    await held.sending;
    const quiet = escalation();
    rig.now += 12 * 3_600_000;
    const released = rig.desk.autoRelease(quiet, 'Returned to the bot: no staff message for 12h'); // the timer saw 12 h of silence
    const budiReplied = replyQueued();
    rig.socket.ev.emit('messages.upsert', { messages: [rig.staffReply(BUDI, rig.lastTo(BUDI).id, 'Halo Kak, saya Budi.')], type: 'notify' });
    await budiReplied; // Budi's reply waits for the chat behind the release
    held.letGo();
    expect(await released).toBe(true);
    await rig.settle();
    expect(customerTexts().slice(-3)).toEqual(['Halo Kak, saya Rina.', 'Saya cek dulu ya', 'Halo Kak, saya Budi.']);
    expect(rig.lastTo(BUDI).text).toBe(
      '✓ Terkirim ke Sari (+6281234567890). Tapi percakapan ini baru saja dikembalikan ke bot (otomatis, karena lama tidak ada balasan staf), jadi pesan pelanggan berikutnya dijawab bot.',
    );
  });

  it("takes a message typed on the shop's own phone as the shop's phone claiming and answering the escalation", async () => {
    await escalate();
    rig.now += 4 * 60_000;
    await rig.deliver('notify', waMessage(CUSTOMER, { conversation: 'Halo Kak, ini dari toko langsung' }, { key: { fromMe: true }, messageTimestamp: rig.now / 1000 }));
    expect(escalation()).toMatchObject({ status: 'claimed', claimedBy: SHOP_PHONE, firstResponseAt: rig.now });
    await rig.customerSays('oh oke, ditunggu');
    expect(customerTexts()).toEqual(['Sebentar ya, staf kami segera membalas.']);
  });
});
