/**
 * The shop report on the owner's page: the same figures as `setia report` for the last 8 weeks, and a bar per
 * week. Bars are SVG attributes, not inline styles, so the strict Content-Security-Policy holds.
 */
import type { FlowSet } from '../../core/flow/types.js';
import { localTime } from '../../core/flow/hours.js';
import { buildReport, formatDuration, ratingFlows, reportPeriod, weeklyReport, type Report, type WeekEntry } from '../../staff/report.js';
import type { Store } from '../../store/store.js';
import { html, type Html } from '../html.js';

const WEEKS = 8;
const BAR_WIDTH = 36;
const CHART_HEIGHT = 90;

const orDash = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms));

function summary(report: Report): Html {
  const { escalations, firstResponse, checkins, satisfaction } = report;
  return html`<table class="report">
  <tr><th>Conversations</th><td>${report.conversations} customer(s) wrote</td></tr>
  <tr><th>Escalations</th><td>${escalations.opened} handed to staff: ${escalations.released} released, ${escalations.autoReleased} back to the bot after staff went quiet, ${escalations.stillOpen} open</td></tr>
  <tr><th>First staff response</th><td>${firstResponse.count ? html`median ${orDash(firstResponse.medianMs)}, 90% within ${orDash(firstResponse.p90Ms)}` : 'none yet'}</td></tr>
  <tr><th>Check-ins</th><td>${checkins.sent} sent, ${checkins.answered} answered</td></tr>
  <tr><th>Satisfaction</th><td>${satisfaction.average === null ? 'no ratings yet' : html`${satisfaction.average.toFixed(1)} of 5 from ${satisfaction.count} rating(s)`}</td></tr>
</table>`;
}

/** One bar per week: how many conversations were handed to staff, with the median first response under it. */
function chart(weeks: WeekEntry[]): Html {
  const highest = Math.max(1, ...weeks.map((week) => week.escalations));
  const bars = weeks.map((week, i) => {
    const height = Math.round((week.escalations / highest) * (CHART_HEIGHT - 20));
    const x = i * (BAR_WIDTH + 8);
    return html`<g><rect x="${x}" y="${CHART_HEIGHT - height}" width="${BAR_WIDTH}" height="${height}"><title>${week.escalations} escalation(s), first response median ${orDash(week.firstResponseMedianMs)}</title></rect>
<text x="${x}" y="${CHART_HEIGHT - height - 4}">${week.escalations}</text>
<text x="${x}" y="${CHART_HEIGHT + 14}">${week.weekStart.slice(5)}</text></g>`;
  });
  const width = weeks.length * (BAR_WIDTH + 8);
  return html`<svg class="chart" viewBox="0 0 ${width} ${CHART_HEIGHT + 20}" role="img" aria-label="Escalations per week">${bars}</svg>`;
}

export function shopReport(store: Store, flows: FlowSet, now: number): Html {
  const zone = flows.settings.timezone;
  const from = localTime(now, zone).subtract(WEEKS * 7 - 1, 'day').format('YYYY-MM-DD');
  const period = reportPeriod({ from }, zone, now);
  const rating = ratingFlows(flows);
  const report = buildReport(period, store.report.figures(period, rating));
  const weeks = weeklyReport(period, zone, (week) => store.report.figures(week, rating));
  return html`<section class="shop-report">
  <h2>Last ${WEEKS} weeks</h2>
  ${summary(report)}
  <h2>Escalations per week</h2>
  ${chart(weeks)}
  <p class="meta">The same figures for any period: <code>setia report --from YYYY-MM-DD --to YYYY-MM-DD</code>.</p>
</section>`;
}
