/**
 * A large shop's flows for the flows benchmark: `flowCount` flows in `files` files, 10 steps each (counting steps
 * at every depth: say, if with then/else, a menu with an option's own steps, a validated ask, count, tag, a
 * closing say with templates). Every flow has its own triggers, links to two others, and is valid (no errors).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowText } from '../src/flows/load.js';

export const STEPS_PER_FLOW = 10;

const SETTINGS = `settings:
  shop_name: Toko Besar
  timezone: Asia/Jakarta
  hours:
    mon-fri: "08:00-17:00"
    sat: "08:00-14:00"
    sun: closed
  closed_dates: ["2026-12-25", "2027-01-01"]
  idle_reset: 30m
  loyal_when: { counter: orders, gte: 3 }
  checkins:
    send_window: "09:00-19:00"
    days: [mon, tue, wed, thu, fri, sat]
    max_per_minute: 6
    min_gap: 7d
checkins:
  loyal_monthly: { who: { tag: loyal }, every: 30d, flow: flow_0 }
start: flow_0
fallback: flow_1
`;

function flow(i: number, count: number, variant: string): string {
  const next = `flow_${(i + 1) % count}`;
  const fail = `flow_${(i + 2) % count}`;
  return `  flow_${i}:
    description: Generated flow ${i} of ${count}
    triggers: [kata${i}, "tanya produk ${i}"]
    steps:
      - say:
          - "Halo {{customer.name | Kak}}! Ini topik ${i}${variant}."
          - "Hai {{customer.name | Kak}}! Selamat datang di topik ${i} dari {{settings.shop_name}}."
      - if: { any: [ { tag: loyal }, { counter: orders, gte: 3 } ] }
        then:
          - say: "Kakak pelanggan setia kami 💛 Ada diskon khusus untuk topik ${i}."
        else:
          - say: "Promo topik ${i}: gratis ongkir untuk belanja minimal Rp 300.000."
      - menu: "Mau lanjut ke mana, Kak?"
        save: pilihan_${i}
        options:
          - label: Lanjut di sini
            aliases: [lanjut, ya]
            steps:
              - say: "Baik, kita lanjut topik ${i} ya."
          - { label: Topik berikutnya, aliases: [berikut], goto: ${next} }
      - ask: "Boleh kirim nomor pesanannya? Contoh: TS-12345"
        save: nomor_${i}
        expect: "/^TS[- ]?\\\\d{5}$/i"
        retry: "Formatnya TS lalu 5 angka ya, Kak 🙏"
        max_retries: 2
        on_fail: ${fail}
      - count: kunjungan_${i % 10}
      - tag: topik_${i % 20}
      - say: "Terima kasih! Pesanan {{nomor_${i}}} kami catat. Jam buka hari ini: {{hours.today}}."
`;
}

/** The flow files' texts; `variant` changes a text in every flow (a hot reload that changes something). */
export function generateFlows(flowCount = 500, files = 20, variant = ''): FlowText[] {
  const texts: FlowText[] = [];
  for (let f = 0; f < files; f++) {
    const flows: string[] = [];
    for (let i = f; i < flowCount; i += files) flows.push(flow(i, flowCount, variant));
    texts.push({ file: `${String(f).padStart(2, '0')}-generated.yaml`, text: `${f === 0 ? SETTINGS : ''}flows:\n${flows.join('')}` });
  }
  return texts;
}

export function writeFlows(dir: string, texts: FlowText[]): void {
  mkdirSync(dir, { recursive: true });
  for (const { file, text } of texts) writeFileSync(join(dir, file), text);
}
