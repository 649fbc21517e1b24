import { describe, expect, it } from '@jest/globals';
import { step } from '../../../src/core/flow/engine.js';
import { EngineChat, flowsFrom, MONDAY_10AM } from '../../helpers/engine.js';

const SHOP = `
settings:
  shop_name: Toko Sari
  hours: { mon-fri: "08:00-17:00", sat: "08:00-12:00" }
  idle_reset: 30m
start: welcome
fallback: not_understood
flows:
  welcome:
    triggers: [halo, menu, "selamat pagi"]
    steps:
      - say: "Halo {{customer.name | Kak}}! Selamat datang di {{settings.shop_name}}."
      - menu: "Ada yang bisa kami bantu?"
        options:
          - { label: Cek pesanan, goto: order_status }
          - { label: Jam buka, goto: hours }
          - { label: Bicara dengan staf, goto: human, aliases: [cs, admin] }
  order_status:
    triggers: [pesanan, order]
    steps:
      - ask: "Boleh kirim nomor pesanan Anda?"
        save: order_id
        expect: "/^INV-\\\\d{4,}$/i"
        retry: "Nomor pesanan seperti INV-1234 ya, Kak."
        max_retries: 2
        on_fail: human
      - say: "Pesanan {{order_id}} sedang kami cek."
      - escalate: "Cek pesanan {{order_id}}"
  hours:
    triggers: [jam, buka]
    steps:
      - if: open_now
        then: [ { say: "Kami sedang buka." } ]
        else: [ { say: "Kami sedang tutup, buka lagi {{hours.next_open}}." } ]
  human:
    triggers: [staf]
    steps:
      - escalate: "Minta bicara dengan staf"
        say: "Baik, staf kami segera membalas"
  not_understood:
    steps:
      - say: "Maaf, saya belum paham."
`;

describe('triggers and first contact', () => {
  it('runs the start flow for a first message that matches nothing, and the fallback afterwards', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    expect(chat.say('permisi')[0]).toBe('Halo Budi! Selamat datang di Toko Sari.');
    chat.wait(60 * 60_000);
    expect(chat.say('apa kabar')).toEqual(['Maaf, saya belum paham.']);
  });

  it('runs a matched trigger even on the first message', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    expect(chat.say('jam berapa?')).toEqual(['Kami sedang buka.']);
  });

  it('matches whole words anywhere, ignoring case, accents and punctuation', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('x');
    expect(chat.say('SÉLAMAT   pagi!!!')[0]).toContain('Selamat datang');
    chat.wait(60 * 60_000);
    // A trigger inside a longer word is no match ("ordernya" is, since -nya is a suffix: see test/core/match).
    expect(chat.say('preorder mana')).toEqual(['Maaf, saya belum paham.']);
  });

  it('prefers the longest matching trigger, and the first defined flow on a tie', () => {
    const flows = flowsFrom(`
fallback: f
flows:
  a: { triggers: [harga], steps: [ { say: A } ] }
  b: { triggers: [harga kaos], steps: [ { say: B } ] }
  c: { triggers: [kaos], steps: [ { say: C } ] }
  d: { triggers: [kaos], steps: [ { say: D } ] }
  f: { steps: [ { say: F } ] }
`);
    const chat = new EngineChat(flows);
    expect(chat.say('berapa harga kaos ini')).toEqual(['B']);
    expect(chat.say('kaos')).toEqual(['C']);
  });

  it('supports /regex/flags triggers and message-kind triggers', () => {
    const flows = flowsFrom(`
fallback: f
flows:
  invoice: { triggers: ["/INV-\\\\d+/i"], steps: [ { say: "invoice" } ] }
  photo: { triggers: [":image"], steps: [ { say: "foto {{message.text}}" } ] }
  place: { triggers: [":location"], steps: [ { say: "lokasi" } ] }
  f: { steps: [ { say: F } ] }
`);
    const chat = new EngineChat(flows);
    expect(chat.say('status inv-77 dong')).toEqual(['invoice']);
    expect(chat.say('bukti', { kind: 'image' })).toEqual(['foto bukti']);
    expect(chat.say('', { kind: 'location', location: { latitude: -6.2, longitude: 106.8 } })).toEqual(['lokasi']);
  });
});

describe('menu', () => {
  const atMenu = (): EngineChat => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('halo');
    return chat;
  };

  it('sends the text with one numbered line per option', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    expect(chat.say('halo')[1]).toBe('Ada yang bisa kami bantu?\n1. Cek pesanan\n2. Jam buka\n3. Bicara dengan staf');
  });

  it('is answered by number, by label in any case, or by alias', () => {
    expect(atMenu().say('1')).toEqual(['Boleh kirim nomor pesanan Anda?']);
    expect(atMenu().say('jam BUKA')).toEqual(['Kami sedang buka.']);
    expect(atMenu().say('admin')).toEqual(['Baik, staf kami segera membalas']);
  });

  it('runs a trigger typed instead of an option', () => {
    expect(atMenu().say('mau cek pesanan saya')).toEqual(['Boleh kirim nomor pesanan Anda?']);
  });

  it('repeats itself after a hint, then runs the fallback after 3 retries by default', () => {
    const chat = atMenu();
    for (let i = 0; i < 3; i++) {
      const [hint, menu] = chat.say('9');
      expect(hint).toBe('Maaf, pilihannya belum ada. Balas dengan angka 1-3 ya.');
      expect(menu).toMatch(/^Ada yang bisa kami bantu\?\n1\. Cek pesanan/);
    }
    expect(chat.say('9')).toEqual(['Maaf, saya belum paham.']);
    expect(chat.conversation?.waiting).toBeNull();
  });

  it('chooses options named by numbers (sizes) by name, and ignores emoji in labels', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  ukuran:
    triggers: [ukuran]
    steps:
      - menu: Ukuran?
        save: ukuran
        options: [ { label: 39 }, { label: 40 }, { label: "🛍️ Lainnya", aliases: [0] } ]
      - say: "Ukuran {{ukuran}}"
  f: { steps: [ { say: F } ] }
`));
    chat.say('ukuran');
    expect(chat.say('40')).toEqual(['Ukuran 40']);
    chat.say('ukuran');
    expect(chat.say('2')).toEqual(['Ukuran 40']);
    chat.say('ukuran');
    expect(chat.say('lainnya')).toEqual(['Ukuran 🛍️ Lainnya']);
    chat.say('ukuran');
    expect(chat.say('0')).toEqual(['Ukuran 🛍️ Lainnya']);
  });

  it('runs inline option steps, then continues after the menu; saves the chosen label', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  produk:
    triggers: [produk]
    steps:
      - menu: Pilih produk
        save: produk
        options:
          - label: Kaos
            steps: [ { say: "Kaos Rp 80.000" } ]
          - label: Topi
      - say: "Mau pesan {{produk}}?"
  f: { steps: [ { say: F } ] }
`));
    chat.say('produk');
    expect(chat.say('kaos')).toEqual(['Kaos Rp 80.000', 'Mau pesan Kaos?']);
    chat.say('produk');
    expect(chat.say('2')).toEqual(['Mau pesan Topi?']);
  });
});

describe('ask', () => {
  const asking = (): EngineChat => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('pesanan');
    return chat;
  };

  it('saves a valid answer on the customer and continues the flow', () => {
    const chat = asking();
    expect(chat.say('INV-12345')).toEqual(['Pesanan INV-12345 sedang kami cek.']);
    expect(chat.customer.vars).toEqual({ order_id: 'INV-12345' });
    expect(chat.actions).toContainEqual({ type: 'escalate', reason: 'Cek pesanan INV-12345' });
  });

  it('retries an invalid answer, then runs on_fail after max_retries repeats', () => {
    const chat = asking();
    expect(chat.say('INV-1')).toEqual(['Nomor pesanan seperti INV-1234 ya, Kak.']);
    expect(chat.say('12')).toEqual(['Nomor pesanan seperti INV-1234 ya, Kak.']);
    expect(chat.say('tidak tahu')).toEqual(['Baik, staf kami segera membalas']);
    expect(chat.conversation?.escalated).toBe(true);
  });

  it('leaves the question when the message is exactly a trigger', () => {
    const chat = asking();
    expect(chat.say('Menu!')[0]).toContain('Selamat datang');
  });

  it('leaves the question for a regex trigger typed with punctuation around it', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  q: { triggers: [q], steps: [ { ask: "Alamat?", save: alamat }, { say: "ok" } ] }
  ongkir: { triggers: ["/^ongkir$/i"], steps: [ { say: "Ongkir mulai Rp 10.000" } ] }
  f: { steps: [ { say: F } ] }
`));
    chat.say('q');
    expect(chat.say('Ongkir?')).toEqual(['Ongkir mulai Rp 10.000']);
    expect(chat.say('ONGKIR!!')).toEqual(['Ongkir mulai Rp 10.000']);
  });

  it('starts a flow whose trigger an invalid answer contains', () => {
    expect(asking().say('jam buka toko kapan')).toEqual(['Kami sedang buka.']);
  });

  it('takes a photo as the answer to a photo question, even when photos also trigger a flow', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  bukti: { triggers: [bayar], steps: [ { ask: "Kirim foto bukti transfer", save: bukti, expect: image }, { say: "Diterima: {{bukti}}" } ] }
  foto: { triggers: [":image"], steps: [ { say: "Foto apa ini?" } ] }
  f: { steps: [ { say: F } ] }
`));
    chat.say('bayar');
    expect(chat.say('struk', { kind: 'image' })).toEqual(['Diterima: struk']);
    chat.say('bayar');
    expect(chat.say('ini dia', { kind: 'video' })).toEqual(['Maaf, jawabannya belum sesuai.', 'Kirim foto bukti transfer']);
    expect(chat.say('', { kind: 'image' })).toEqual(['Diterima: [image]']);
  });

  it('saves a valid answer even when it contains a trigger', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  nama: { triggers: [daftar], steps: [ { ask: "Nama?", save: nama_lengkap }, { say: "Hai {{nama_lengkap}}" } ] }
  menu: { triggers: [menu], steps: [ { say: MENU } ] }
  f: { steps: [ { say: F } ] }
`));
    chat.say('daftar');
    expect(chat.say('Menu Sari')).toEqual(['Hai Menu Sari']);
  });

  it('validates and normalises expect kinds', () => {
    const flows = flowsFrom(`
fallback: f
flows:
  q:
    triggers: [q]
    steps:
      - { ask: "Jumlah?", save: n, expect: number }
      - { ask: "HP?", save: hp, expect: phone }
      - { ask: "Tanggal?", save: tgl, expect: date }
      - { ask: "Email?", save: email, expect: email }
      - { ask: "Foto?", save: foto, expect: image }
      - { say: "ok {{n}} {{hp}} {{tgl}} {{email}} {{foto}}" }
  f: { steps: [ { say: F } ] }
`);
    const chat = new EngineChat(flows);
    chat.say('q');
    expect(chat.say('banyak')).toEqual(['Maaf, jawabannya belum sesuai.', 'Jumlah?']);
    chat.say('1.500.000');
    chat.say('0812-3456-7890');
    expect(chat.say('31/02/2026')[0]).toMatch(/belum sesuai/);
    chat.say('25/12/2026');
    chat.say('Budi@Example.COM');
    expect(chat.say('ini fotonya')[0]).toMatch(/belum sesuai/);
    expect(chat.say('bukti transfer', { kind: 'image' })).toEqual(['ok 1500000 6281234567890 2026-12-25 budi@example.com bukti transfer']);
  });
});

describe('steps', () => {
  it('runs set, tag, untag and count, and if/else on conditions', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  beli:
    triggers: [beli]
    steps:
      - count: orders
      - tag: [pembeli, baru]
      - untag: baru
      - set: { produk: "kaos {{customer.name}}", customer.name: "Pak Budi" }
      - if: { all: [ { counter: orders, gte: 2 }, { tag: pembeli }, { not: { tag: baru } } ] }
        then: [ { tag: loyal }, { say: "Terima kasih pelanggan setia {{customer.name}}" } ]
        else: [ { say: "Terima kasih {{produk}}" } ]
      - if: { any: [ { var: produk, matches: "/^kaos/" }, closed_now ] }
        then: [ { say: "kaos!" } ]
      - if: { var: customer.name, equals: "pak budi" }
        then: [ { say: "hormat" } ]
  f: { steps: [ { say: F } ] }
`));
    expect(chat.say('beli')).toEqual(['Terima kasih kaos Budi', 'kaos!', 'hormat']);
    expect(chat.say('beli')).toEqual(['Terima kasih pelanggan setia Pak Budi', 'kaos!', 'hormat']);
    expect(chat.customer).toMatchObject({ name: 'Pak Budi', tags: ['pembeli', 'loyal'], counters: { orders: 2 }, vars: { produk: 'kaos Pak Budi' } });
  });

  it('goes to another flow with goto and stops at end', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  a: { triggers: [a], steps: [ { say: A }, { goto: b }, { say: never } ] }
  b: { steps: [ { say: B }, end, { say: never } ] }
  f: { steps: [ { say: F } ] }
`));
    expect(chat.say('a')).toEqual(['A', 'B']);
  });

  it('sends nothing rather than a flood when a flow loops forever, and ends the conversation', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  a: { triggers: [a], steps: [ { say: spam }, { count: loops }, { if: { counter: never, gte: 1 }, then: [end] }, { goto: a } ] }
  f: { steps: [ { say: F } ] }
`));
    expect(chat.say('a')).toEqual([]);
    expect(chat.conversation).toMatchObject({ waiting: null, escalated: false });
    expect(chat.customer.counters).toEqual({});
    expect(chat.say('x')).toEqual(['F']);
  });

  it('picks text variants with the random source it is given', () => {
    const flows = flowsFrom(`
fallback: f
flows:
  f: { steps: [ { say: [satu, dua, tiga] } ] }
`);
    expect(new EngineChat(flows, MONDAY_10AM, () => 0).say('x')).toEqual(['satu']);
    expect(new EngineChat(flows, MONDAY_10AM, () => 0.99).say('x')).toEqual(['tiga']);
  });
});

describe('templates', () => {
  it('renders missing values as nothing or their fallback, never "undefined", and never runs code', () => {
    const chat = new EngineChat(flowsFrom(`
fallback: f
flows:
  f: { steps: [ { say: "[{{nope}}] [{{customer.name | Kak}}] [{{customer.phone}}] [{{constructor}}] [{{ settings.x | - }}] [{{ process.exit }}]" } ] }
`));
    chat.customer.name = null;
    expect(chat.say('x')).toEqual(['[] [Kak] [628111] [] [-] []']);
  });

  it('renders hours: next opening when closed', () => {
    const chat = new EngineChat(flowsFrom(SHOP), Date.parse('2026-11-28T13:00:00+07:00'));
    chat.say('x');
    expect(chat.say('jam buka')).toEqual(['Kami sedang tutup, buka lagi Senin 08:00.']);
  });
});

describe('opt-out and opt-in', () => {
  it('sets and clears the opted-out flag with a confirmation, and still answers an opted-out customer', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('halo');
    expect(chat.say('Berhenti.')[0]).toMatch(/tidak akan mengirim pesan rutin lagi. Ketik MULAI/);
    expect(chat.customer.optedOut).toBe(true);
    expect(chat.conversation?.waiting).toBeNull();
    expect(chat.say('jam')).toEqual(['Kami sedang buka.']);
    expect(chat.say('mulai')[0]).toMatch(/Terima kasih/);
    expect(chat.customer.optedOut).toBe(false);
  });

  it('never opts out on a message without words, such as a sticker', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('', { kind: 'sticker' });
    chat.say('?');
    expect(chat.customer.optedOut).toBe(false);
  });

  it('treats an opt-out word inside a sentence as an ordinary message', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('halo');
    chat.say('jangan stop dulu');
    expect(chat.customer.optedOut).toBe(false);
  });
});

describe('escalation', () => {
  it('keeps the bot silent while escalated, storing nothing new but still honouring opt-out', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('staf');
    expect(chat.conversation?.escalated).toBe(true);
    expect(chat.say('halo?')).toEqual([]);
    expect(chat.say('STOP')).toEqual([]);
    expect(chat.customer.optedOut).toBe(true);
    expect(chat.conversation?.escalated).toBe(true);
  });

  const SILENT_ESCALATION = `
settings: { hours: { mon-fri: "08:00-17:00" } }
flows:
  silent: { triggers: [admin], steps: [ { escalate: Minta admin } ] }
  explained: { triggers: [komplain], steps: [ { say: "Kami teruskan ke admin" }, { escalate: Komplain } ] }
`;

  it('never leaves the customer without a word: an escalation that says nothing sends the default text', () => {
    expect(new EngineChat(flowsFrom(SILENT_ESCALATION)).say('admin')).toEqual(['Baik, Kak. Admin kami akan segera membalas di chat ini ya 🙏']);
  });

  it('says honestly when staff will answer while the shop is closed', () => {
    const saturday = Date.parse('2026-11-28T10:00:00+07:00');
    expect(new EngineChat(flowsFrom(SILENT_ESCALATION), saturday).say('admin')).toEqual([
      'Baik, Kak. Toko sedang tutup, admin kami akan membalas Senin 08:00 ya 🙏',
    ]);
  });

  it('adds nothing when the flow already spoke on that turn', () => {
    expect(new EngineChat(flowsFrom(SILENT_ESCALATION)).say('komplain')).toEqual(['Kami teruskan ke admin']);
  });
});

describe('paused while a person writes from the shop phone', () => {
  it('keeps quiet until the pause ends, then treats the next message as fresh', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('halo');
    chat.conversation = { ...chat.conversation!, pausedUntil: chat.now + 60_000 };
    expect(chat.say('1')).toEqual([]);
    expect(chat.say('stop')).toEqual([]);
    expect(chat.customer.optedOut).toBe(true);
    chat.wait(60_000);
    expect(chat.say('1')).toEqual(['Maaf, saya belum paham.']);
    expect(chat.conversation?.pausedUntil).toBeNull();
  });
});

describe('idle reset', () => {
  it('handles a message after idle_reset as fresh, not as an answer', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('halo');
    chat.wait(30 * 60_000);
    expect(chat.say('1')).toEqual(['Maaf, saya belum paham.']);
  });

  it('still takes the answer just before idle_reset', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('halo');
    chat.wait(29 * 60_000);
    expect(chat.say('1')).toEqual(['Boleh kirim nomor pesanan Anda?']);
  });
});

describe('flows edited under a waiting customer', () => {
  it('keeps a question that was only reworded', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('pesanan');
    chat.flows = flowsFrom(SHOP.replace('Boleh kirim nomor pesanan Anda?', 'Nomor pesanannya, Kak?').replace('sedang kami cek', 'kami periksa'));
    expect(chat.say('INV-12345')).toEqual(['Pesanan INV-12345 kami periksa.']);
  });

  it('restarts cleanly when the question is gone', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('pesanan');
    chat.flows = flowsFrom(SHOP.replace(/  order_status:[\s\S]*?  hours:/, '  hours:').replace(/, goto: order_status/, ', goto: hours'));
    expect(chat.say('INV-12345')).toEqual(['Maaf, saya belum paham.']);
    expect(chat.say('halo')[0]).toContain('Selamat datang');
  });

  it('restarts cleanly when a different question now stands at the stored position', () => {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('pesanan');
    chat.flows = flowsFrom(SHOP.replace('save: order_id', 'save: nomor'));
    expect(chat.say('INV-12345')).toEqual(['Maaf, saya belum paham.']);
  });
});

describe('purity', () => {
  it('returns the same result for the same input and does not change its input', () => {
    const flows = flowsFrom(SHOP);
    const customer = { id: 'c', name: 'Ani', phone: null, tags: ['a'], counters: { x: 1 }, vars: {}, optedOut: false };
    const input = { flows, customer, conversation: null, inbound: { kind: 'text' as const, text: 'halo' }, now: MONDAY_10AM, random: () => 0.5 };
    const snapshot = JSON.stringify(customer);
    expect(step(input)).toEqual(step(input));
    expect(JSON.stringify(customer)).toBe(snapshot);
  });
});
