import { explainTrigger, findTrigger } from '../../../src/core/flow/triggers.js';
import type { FlowSet } from '../../../src/core/flow/types.js';
import { compileFlowTexts } from '../../../src/flows/load.js';
import { EngineChat, flowsFrom } from '../../helpers/engine.js';

const SHOP = `
settings:
  synonyms: { cod: bayar di tempat }
fallback: sorry
flows:
  sorry: { steps: [ { say: "Maaf?" } ] }
  greeting: { triggers: [halo, "selamat pagi"], steps: [ { say: "Halo juga" } ] }
  thanks: { triggers: [makasih, "terima kasih"], steps: [ { say: "Sama-sama" } ] }
  prices: { triggers: [harga, "daftar harga"], steps: [ { say: "Daftar harga" } ] }
  catalog: { triggers: [katalog], steps: [ { say: "Katalog" } ] }
  address: { triggers: [alamat, "toko di mana"], steps: [ { say: "Alamat" } ] }
  orders: { triggers: [pesanan, ongkir], steps: [ { say: "Pesanan" } ] }
  order: { triggers: ["mau pesan"], steps: [ { say: "Mau pesan apa?" } ] }
  sending: { triggers: ["kirim barang"], steps: [ { say: "Kirim" } ] }
  coffee: { triggers: [kopi], steps: [ { say: "Kopi" } ] }
  payment: { triggers: ["bayar di tempat"], steps: [ { say: "Bisa COD" } ] }
  promo: { triggers: ["=promo"], steps: [ { say: "Promo" } ] }
  vouchers: { exact: true, triggers: [voucher], steps: [ { say: "Voucher" } ] }
  menu:
    triggers: [menu]
    steps:
      - menu: "Pilih:"
        options:
          - { label: "🛍️ Batik tulis", goto: prices }
          - { label: Kaos, aliases: [kaus, "=t"], goto: catalog }
          - { label: "39", goto: orders }
`;

function replyTo(text: string, flows: FlowSet = flowsFrom(SHOP)): string {
  return new EngineChat(flows).say(text)[0] ?? '';
}

describe('triggers as customers write them', () => {
  const flows = flowsFrom(SHOP);
  const flowFor = (text: string): string | undefined => findTrigger(flows, { kind: 'text', text })?.flow;

  it('start the flow for the issue examples', () => {
    expect(flowFor('harganya brp kak?')).toBe('prices');
    expect(flowFor('mo order dong')).toBeUndefined();
    expect(flowFor('mo pesan dong')).toBe('order');
    expect(flowFor('katallog')).toBe('catalog');
    expect(flowFor('alamatnya dmn')).toBe('address');
    expect(flowFor('tokonya dmn kak')).toBe('address');
    expect(flowFor('makasiiih')).toBe('thanks');
    expect(flowFor('mksh kak')).toBe('thanks');
    expect(flowFor('almat')).toBe('address');
    expect(flowFor('pesnan saya')).toBe('orders');
    expect(flowFor('ongkirr brp')).toBe('orders');
    expect(flowFor('hallooo')).toBe('greeting');
    expect(flowFor('bisa cod?')).toBe('payment');
  });

  it('do not start on a different known word, a short word, or half a phrase', () => {
    expect(flowFor('ada topi?')).toBeUndefined();
    expect(flowFor('barangnya bagus')).toBeUndefined();
    expect(flowFor('mau')).toBeUndefined();
  });

  it('keep "=word" triggers and `exact: true` flows to the words as written', () => {
    expect(flowFor('ada promo?')).toBe('promo');
    expect(flowFor('promonya')).toBeUndefined();
    expect(flowFor('promoo')).toBeUndefined();
    expect(flowFor('voucher dong')).toBe('vouchers');
    expect(flowFor('voucernya')).toBeUndefined();
    expect(flowFor('vouchernya')).toBeUndefined();
  });

  it('let the longest trigger win, loose or not', () => {
    expect(flowFor('daftar harganya')).toBe('prices');
    expect(flowFor('selamat pagiii')).toBe('greeting');
  });

  it('explain what matched and how', () => {
    const why = (text: string) => explainTrigger(flows, { kind: 'text', text })?.why;
    expect(why('harganya brp kak?')).toEqual({ kind: 'trigger', flow: 'prices', source: 'harga', how: 'suffix', words: 'harganya' });
    expect(why('katallog')).toEqual({ kind: 'trigger', flow: 'catalog', source: 'katalog', how: 'typo', words: 'katallog' });
    expect(why('toko dmn')).toEqual({ kind: 'trigger', flow: 'address', source: 'toko di mana', how: 'synonym', words: 'toko dmn' });
    expect(why('halo')).toEqual({ kind: 'trigger', flow: 'greeting', source: 'halo', how: 'exact', words: 'halo' });
  });

  it('for a whole answer to a question, do not count a typo', () => {
    expect(findTrigger(flows, { kind: 'text', text: 'kopi' }, true)?.flow).toBe('coffee');
    expect(findTrigger(flows, { kind: 'text', text: 'kopu' }, true)).toBeUndefined();
    expect(findTrigger(flows, { kind: 'text', text: 'kopu' })?.flow).toBe('coffee');
  });
});

describe('opt-out and opt-in words stay exact', () => {
  it('a typo or a stretched opt-out word never unsubscribes', () => {
    for (const text of ['stopp', 'berhnti', 'berhentiii', 'stop dong']) {
      const chat = new EngineChat(flowsFrom(SHOP));
      chat.say(text);
      expect([text, chat.customer.optedOut]).toEqual([text, false]);
    }
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('STOP');
    expect(chat.customer.optedOut).toBe(true);
  });
});

describe('menu options as customers write them', () => {
  function menuChat(): EngineChat {
    const chat = new EngineChat(flowsFrom(SHOP));
    chat.say('menu');
    return chat;
  }

  it('choose by a loose label or alias, the whole answer but for fillers', () => {
    expect(menuChat().say('yang batik tulisnya dong kak')).toEqual(['Daftar harga']);
    expect(menuChat().say('batik tuliss')).toEqual(['Daftar harga']);
    expect(menuChat().say('kaoss')).toEqual(['Katalog']);
    expect(menuChat().say('kaus aja')).toEqual(['Katalog']);
  });

  it('still choose by number, and a number label by its number as written', () => {
    expect(menuChat().say('2')).toEqual(['Katalog']);
    expect(menuChat().say('39')).toEqual(['Pesanan']);
    expect(menuChat().say('3')).toEqual(['Pesanan']);
  });

  it('keep "=" aliases exact and need the whole answer', () => {
    expect(menuChat().say('t')).toEqual(['Katalog']);
    const chat = menuChat();
    expect(chat.say('batik tulis bagus gak')[0]).not.toBe('Daftar harga');
  });
});

describe('flows check', () => {
  it('reports a bad synonym or exact flag at its place, and loads nothing', () => {
    const result = compileFlowTexts([{ file: 'shop.yaml', text: 'settings:\n  synonyms: { "mau pesan": order, cod: "" }\nfallback: a\nflows:\n  a: { exact: yes, steps: [ { say: A } ] }\n' }]);
    expect(result.flows).toBeUndefined();
    expect(result.problems.map((p) => p.message)).toEqual([
      'shop.yaml:2:15: "mau pesan": a synonym is one word, the way customers write it (e.g. cod)',
      'shop.yaml:2:40: cod: expected the word or words it means, e.g. "bayar di tempat"',
      'shop.yaml:5:15: exact: expected true or false, got "yes"',
    ]);
  });

  it('warns when two flows have triggers that read the same once folded', () => {
    const result = compileFlowTexts([{ file: 'shop.yaml', text: 'fallback: a\nflows:\n  a: { triggers: [harga, hrg], steps: [ { say: A } ] }\n  b:\n    triggers: [harganya, "=harga"]\n    steps: [ { say: B } ]\n  c: { triggers: [Hrg!], steps: [ { say: C } ] }\n' }]);
    expect(result.problems.map((p) => p.message)).toEqual([
      'shop.yaml:5:16: warning: trigger "harganya" reads the same as "harga" of flow "a" once folded ("harga"): customers writing either may get either flow',
      'shop.yaml:7:19: warning: trigger "Hrg!" reads the same as "harga" of flow "a" once folded ("harga"): customers writing either may get either flow',
    ]);
    expect(replyTo('harganya', result.flows)).toBe('B');
  });
});
