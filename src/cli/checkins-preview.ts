/** `setia checkins preview [--days 7]`: the check-ins the bot will send, when, to whom, and who is skipped why. */
import { previewCheckins, type CheckinPreview } from '../checkins/preview.js';
import { localTime } from '../core/flow/hours.js';
import { loadFlows } from '../flows/load.js';
import { Store } from '../store/store.js';

const DAY_MS = 86_400_000;
/** Lines of planned check-ins shown unless --all: the rest are counted. */
const SHOWN = 50;

export interface PreviewOptions {
  dbPath: string;
  flowsDir: string;
  days: number;
  all: boolean;
  now: number;
}

export function checkinsPreview(options: PreviewOptions, out: NodeJS.WritableStream = process.stdout): number {
  const { flows } = loadFlows(options.flowsDir);
  if (!flows.checkins.rules.length) {
    out.write(`${options.flowsDir}: no check-in rules; write them under "checkins:" (see docs/checkins.md)\n`);
    return 0;
  }
  const store = Store.open(options.dbPath);
  try {
    const preview = previewCheckins(store, flows, options.now, options.days * DAY_MS);
    out.write(format(preview, flows.settings.timezone, options));
    return 0;
  } finally {
    store.close();
  }
}

function format(preview: CheckinPreview, zone: string, options: PreviewOptions): string {
  const { planned, skipped } = preview;
  const lines = [`Check-ins in the next ${options.days} day(s), in ${zone} time, if nothing changes (at most max_per_minute go out each minute):`];
  if (!planned.length) lines.push('  none');
  for (const checkin of options.all ? planned : planned.slice(0, SHOWN)) {
    const who = [checkin.name, checkin.phone && `+${checkin.phone}`].filter(Boolean).join(' ') || checkin.chatId;
    lines.push(`  ${localTime(checkin.at, zone).format('ddd D MMM HH:mm')}  ${who}  (${checkin.rule})`);
    for (const text of checkin.texts) lines.push(`      “${oneLine(text)}”`);
  }
  if (!options.all && planned.length > SHOWN) lines.push(`  … and ${planned.length - SHOWN} more (--all lists them)`);
  lines.push('', 'Not checked in:');
  if (!skipped.size) lines.push('  nobody');
  for (const [reason, { count, examples }] of [...skipped].sort((a, b) => b[1].count - a[1].count)) {
    lines.push(`  ${reason}: ${count}  (${examples.join(', ')}${count > examples.length ? ', …' : ''})`);
  }
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
