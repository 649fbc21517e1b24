/**
 * The shop report on the owner's page: the same figures as `setia report` for the last 8 weeks, and a bar per
 * week. Bars are SVG attributes, not inline styles, so the strict Content-Security-Policy holds.
 */
import type { FlowSet } from '../../core/flow/types.js';
import { localTime } from '../../core/flow/hours.js';
import { buildReport, formatDuration, ratingFlows, reportPeriod, weeklyReport, type Report, type WeekEntry } from '../../staff/report.js';
import type { Store } from '../../store/store.js';
import { html, type Html } from '../html.js';
import { translator, type Translate } from '../i18n/translate.js';

const WEEKS = 8;
const BAR_WIDTH = 36;
const CHART_HEIGHT = 90;

const orDash = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms));

function summary(report: Report, t: Translate): Html {
  const { escalations, firstResponse, checkins, satisfaction } = report;
  return html`<table class="report">
  <tr><th>${t('report.conversations')}</th><td>${t('report.customersWrote', { count: report.conversations })}</td></tr>
  <tr><th>${t('report.escalations')}</th><td>${t('report.escalationsDetail', { opened: escalations.opened, released: escalations.released, autoReleased: escalations.autoReleased, open: escalations.stillOpen })}</td></tr>
  <tr><th>${t('report.firstResponse')}</th><td>${firstResponse.count ? t('report.firstResponseDetail', { median: orDash(firstResponse.medianMs), p90: orDash(firstResponse.p90Ms) }) : t('report.noneYet')}</td></tr>
  <tr><th>${t('report.checkins')}</th><td>${t('report.checkinsDetail', { sent: checkins.sent, answered: checkins.answered })}</td></tr>
  <tr><th>${t('report.satisfaction')}</th><td>${satisfaction.average === null ? t('report.noRatings') : t('report.ratingDetail', { average: satisfaction.average.toFixed(1), count: satisfaction.count })}</td></tr>
</table>`;
}

/** One bar per week: how many conversations were handed to staff, with the median first response under it. */
function chart(weeks: WeekEntry[], t: Translate): Html {
  const highest = Math.max(1, ...weeks.map((week) => week.escalations));
  const bars = weeks.map((week, i) => {
    const height = Math.round((week.escalations / highest) * (CHART_HEIGHT - 20));
    const x = i * (BAR_WIDTH + 8);
    return html`<g><rect x="${x}" y="${CHART_HEIGHT - height}" width="${BAR_WIDTH}" height="${height}"><title>${t('report.barTitle', { count: week.escalations, median: orDash(week.firstResponseMedianMs) })}</title></rect>
<text x="${x}" y="${CHART_HEIGHT - height - 4}">${week.escalations}</text>
<text x="${x}" y="${CHART_HEIGHT + 14}">${week.weekStart.slice(5)}</text></g>`;
  });
  const width = weeks.length * (BAR_WIDTH + 8);
  return html`<svg class="chart" viewBox="0 0 ${width} ${CHART_HEIGHT + 20}" role="img" aria-label="${t('report.perWeek')}">${bars}</svg>`;
}

export function shopReport(store: Store, flows: FlowSet, now: number): Html {
  const zone = flows.settings.timezone;
  const t = translator(flows.settings.language);
  const from = localTime(now, zone).subtract(WEEKS * 7 - 1, 'day').format('YYYY-MM-DD');
  const period = reportPeriod({ from }, zone, now);
  const rating = ratingFlows(flows);
  const report = buildReport(period, store.report.figures(period, rating));
  const weeks = weeklyReport(period, zone, (week) => store.report.figures(week, rating));
  return html`<section class="shop-report">
  <h2>${t('report.lastWeeks', { weeks: WEEKS })}</h2>
  ${summary(report, t)}
  <h2>${t('report.perWeek')}</h2>
  ${chart(weeks, t)}
  <p class="meta">${t('report.anyPeriod')} <code>setia report --from YYYY-MM-DD --to YYYY-MM-DD</code>.</p>
</section>`;
}
