/**
 * The catalogue as a shop uses it: real files in a shop folder (flows/ beside data/), loaded with the flows,
 * answered by the engine, reloaded on save.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFlows } from '../../src/flows/load.js';
import { FlowRegistry } from '../../src/flows/registry.js';
import { FlowLoadError } from '../../src/errors.js';
import { EngineChat } from '../helpers/engine.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const FLOWS = `
fallback: fallback
flows:
  price_list:
    triggers: [harga]
    steps:
      - say: "Daftar harga lengkap ada di katalog kami."
  product:
    triggers: [":product"]
    steps:
      - if: { not: product_found }
        then:
          - ask: "Ada beberapa, Kak. Yang mana?"
            expect: product
      - if: product_in_stock
        then:
          - image: "{{product.photo}}"
            caption: "{{product.name}}: {{product.price}} ({{product.berat}} g)"
        else:
          - say: "Maaf, {{product.name}} sedang habis."
  qris:
    triggers: [bayar]
    steps:
      - image: data/qris.png
        caption: "Silakan scan QRIS ini ya, Kak."
  fallback:
    steps:
      - say: "Maaf, belum paham"
`;

const CATALOG = `name,price,aliases,stock,photo,berat
Roti coklat,12000,roti cokelat,5,data/photos/roti-coklat.jpg,80
Roti keju,Rp 13.000,,0,,75
Roti tawar,15.000,,,,400
`;

function shop(catalog = CATALOG, flows = FLOWS): string {
  const root = tempDir();
  mkdirSync(join(root, 'flows'));
  mkdirSync(join(root, 'data', 'photos'), { recursive: true });
  writeFileSync(join(root, 'flows', 'shop.yaml'), flows);
  writeFileSync(join(root, 'data', 'catalog.csv'), catalog);
  writeFileSync(join(root, 'data', 'photos', 'roti-coklat.jpg'), 'jpeg bytes');
  writeFileSync(join(root, 'data', 'qris.png'), 'png bytes');
  return join(root, 'flows');
}

describe('the catalogue in the flows', () => {
  it('answers a product question with its photo and price, and "harga <product>" beats the general price list', () => {
    const chat = new EngineChat(loadFlows(shop()).flows);
    expect(chat.say('harga roti coklat berapa kak?')).toEqual(['Roti coklat: Rp 12.000 (80 g)']);
    expect(chat.actions[0]).toEqual({ type: 'send', text: 'Roti coklat: Rp 12.000 (80 g)', media: { kind: 'image', path: 'data/photos/roti-coklat.jpg' } });
    expect(chat.say('harga')).toEqual(['Daftar harga lengkap ada di katalog kami.']);
  });

  it('offers the products a message names when there are several, and takes the choice by number or name', () => {
    const chat = new EngineChat(loadFlows(shop()).flows);
    expect(chat.say('ada roti?')).toEqual(['Ada beberapa, Kak. Yang mana?\n1. Roti coklat (Rp 12.000)\n2. Roti keju (Rp 13.000)\n3. Roti tawar (Rp 15.000)']);
    expect(chat.say('2')).toEqual(['Maaf, Roti keju sedang habis.']);
    chat.say('ada roti?');
    // Stock not tracked counts as in stock; a product without a photo sends its caption as text.
    expect(chat.say('yang tawar')).toEqual(['Roti tawar: Rp 15.000 (400 g)']);
    expect(chat.actions[0]).toEqual({ type: 'send', text: 'Roti tawar: Rp 15.000 (400 g)' });
  });

  it('sends a picture a step names, from the shop folder', () => {
    const chat = new EngineChat(loadFlows(shop()).flows);
    chat.say('mau bayar');
    expect(chat.actions).toEqual([{ type: 'send', text: 'Silakan scan QRIS ini ya, Kak.', media: { kind: 'image', path: 'data/qris.png' } }]);
  });

  it('reports a picture that is not there as file:line:col, and a bad catalogue row as file:LINE while the rest loads', () => {
    const dir = shop(CATALOG, FLOWS.replace('data/qris.png', 'data/qris-baru.png'));
    expect(() => loadFlows(dir)).toThrow(FlowLoadError);
    try {
      loadFlows(dir);
    } catch (error) {
      expect((error as FlowLoadError).problems.map((p) => p.message)).toEqual([
        `${join(dir, 'shop.yaml')}:24:16: no file data/qris-baru.png in the shop folder: put it there or fix the path`,
      ]);
    }
    const { flows, warnings } = loadFlows(shop(`${CATALOG}Donat,murah,,,,\nBolu,20000,,,data/photos/bolu.jpg,\n`));
    expect(warnings.map((p) => p.message)).toEqual([
      'data/catalog.csv:5: "murah" is not a price: write it as 12000, 12.000 or Rp 12.000',
      'data/catalog.csv:6: photo "data/photos/bolu.jpg" does not exist',
    ]);
    expect(flows.catalog.products.map((p) => p.name)).toEqual(['Roti coklat', 'Roti keju', 'Roti tawar']);
  });

  it('reloads when the catalogue is saved', async () => {
    const dir = shop();
    const registry = FlowRegistry.load(dir, silentLog);
    try {
      registry.watch();
      writeFileSync(join(dir, '..', 'data', 'catalog.csv'), CATALOG.replace('12000', '14000'));
      const deadline = Date.now() + 15_000;
      while (new EngineChat(registry.current()).say('roti coklat')[0] !== 'Roti coklat: Rp 14.000 (80 g)') {
        if (Date.now() > deadline) throw new Error('the new price never came into force');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await registry.close();
    }
  });
});
