/**
 * `setia report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]`: conversations, escalations, how fast staff
 * answered, check-ins and satisfaction over a period of days in the shop's time zone (default: the last 30 days).
 */
import { existsSync } from 'node:fs';
import { localTime } from '../core/flow/hours.js';
import { SetiaError } from '../errors.js';
import { loadFlows } from '../flows/load.js';
import { buildReport, formatDuration, ratingFlows, reportPeriod, type Rating, type Report } from '../staff/report.js';
import { Store } from '../store/store.js';

export interface ReportOptions {
  dbPath: string;
  flowsDir: string;
  /** Calendar dates as YYYY-MM-DD in the shop's time zone, both included. */
  from?: string;
  to?: string;
  json?: boolean;
  now: number;
}

const LABEL_WIDTH = 22;
const BAR_WIDTH = 20;

export function report(options: ReportOptions, out: NodeJS.WritableStream = process.stdout): number {
  const { flows } = loadFlows(options.flowsDir);
  const zone = flows.settings.timezone;
  const period = reportPeriod(options, zone, options.now);
  // Opening a missing database would create an empty one and report zeros as if nothing had happened.
  if (!existsSync(options.dbPath)) throw new SetiaError(`${options.dbPath}: no database here; run the report where the bot runs, or set SETIA_DB to its database`);
  const store = Store.open(options.dbPath);
  try {
    const result = buildReport(period, store.report.figures(period, ratingFlows(flows)));
    out.write(options.json ? `${JSON.stringify(result)}\n` : format(result, zone, options.now));
    return 0;
  } finally {
    store.close();
  }
}

function format(report: Report, zone: string, now: number): string {
  const day = (ms: number): string => localTime(ms, zone).format('D MMM YYYY');
  const until = report.to >= now ? `${day(now)} (now)` : day(report.to - 1);
  const rows: Array<[string, string]> = [
    ['Conversations', `${report.conversations} customer(s) wrote to the shop`],
    ['Escalations', escalations(report)],
    ['First staff response', firstResponse(report)],
    ['Time to resolve', resolution(report)],
    ['Check-ins', checkins(report)],
    ['Satisfaction', satisfaction(report)],
  ];
  const lines = [`Report for ${day(report.from)} – ${until}, ${zone} time`, '', ...rows.map(([label, text]) => `${label.padEnd(LABEL_WIDTH)}${text}`)];
  if (report.satisfaction.count) lines.push(...distribution(report.satisfaction));
  return `${lines.join('\n')}\n`;
}

function escalations({ escalations: e }: Report): string {
  if (!e.opened) return 'none: the bot handled every conversation';
  return `${e.opened} handed to staff: ${e.released} released by staff, ${e.autoReleased} handed back to the bot after staff went quiet, ${e.stillOpen} still open`;
}

function firstResponse({ firstResponse: r, escalations: e }: Report): string {
  if (r.medianMs === null || r.p90Ms === null) return e.opened ? 'no escalation answered by staff yet' : '–';
  return `${r.count} of ${e.opened} answered: median ${formatDuration(r.medianMs)}, 90% within ${formatDuration(r.p90Ms)}`;
}

function resolution({ resolution: r }: Report): string {
  return r.medianMs === null ? '–' : `median ${formatDuration(r.medianMs)} (${r.count} released by staff)`;
}

function checkins({ checkins: c }: Report): string {
  return c.answerRate === null ? 'none sent' : `${c.sent} sent, ${c.answered} answered (${percent(c.answerRate)})`;
}

function satisfaction({ satisfaction: s }: Report): string {
  return s.average === null ? 'no ratings yet' : `average ${s.average.toFixed(1)} of 5, from ${s.count} rating(s)`;
}

/** One bar per rating, 5 first, scaled to the most frequent. */
function distribution({ count, distribution: counts }: Report['satisfaction']): string[] {
  const most = Math.max(...Object.values(counts));
  return ([5, 4, 3, 2, 1] as Rating[]).map((rating) => {
    const bar = '█'.repeat(Math.round((counts[rating] / most) * BAR_WIDTH)).padEnd(BAR_WIDTH);
    return `${''.padEnd(LABEL_WIDTH)}${rating}  ${bar}  ${counts[rating]} (${percent(counts[rating] / count)})`;
  });
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
