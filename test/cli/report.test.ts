import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { report, type ReportOptions } from '../../src/cli/report.js';
import { ConfigError, SetiaError } from '../../src/errors.js';
import { Store } from '../../src/store/store.js';
import { setia } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Jakarta time (UTC+7): the shipped flows' settings.timezone. */
const at = (local: string): number => Date.parse(`${local}+07:00`);
const NOW = at('2026-11-20T12:00:00');

/**
 * A shop's week, written through the store as the bot and staff would write it. The period asked for is
 * Mon 2 – Sun 8 Nov 2026 in Jakarta; things just outside it sit on the other side of local midnight.
 */
function populate(dbPath: string): void {
  const store = Store.open(dbPath);
  let n = 0;
  const customer = (name: string): number => store.customers.contact(`62811000000${++n}@s.whatsapp.net`, at('2026-10-01T09:00:00'), { pushName: name }).rowId;
  const wrote = (customerId: number, when: number, text = 'halo'): void => {
    store.messages.recordInbound({ id: `IN${++n}`, chatId: '', kind: 'text', text, at: when }, customerId);
    store.checkins.markAnswered(customerId, when, text);
  };
  const [ani, budi, citra, dewi, eka, fajar, gita] = ['Ani', 'Budi', 'Citra', 'Dewi', 'Eka', 'Fajar', 'Gita'].map(customer) as number[];

  // Conversations: Ani (twice), Budi, Citra, and Fajar at 00:30 on Monday, which is still Sunday in UTC.
  // Dewi wrote only the week before, Eka only at 00:30 on the Monday after.
  wrote(ani!, at('2026-11-02T09:00:00'));
  wrote(ani!, at('2026-11-05T09:00:00'));
  wrote(fajar!, at('2026-11-02T00:30:00'));
  wrote(dewi!, at('2026-11-01T23:30:00'));
  wrote(eka!, at('2026-11-09T00:30:00'));

  // Escalations: answered after 4m 10s and released by staff 1h 5m after opening; answered after 10m and
  // handed back to the bot; never answered; answered after 2h and still claimed. One more opened the week before.
  const opened = at('2026-11-03T10:00:00');
  const first = store.escalations.open(budi!, 'mau bicara dengan admin', opened);
  store.escalations.claim(first, 'Rina', opened + MINUTE);
  store.escalations.staffWrote(first, 'Rina', opened + 4 * MINUTE + 10_000);
  store.escalations.release(first, 'Rina', opened + HOUR + 5 * MINUTE);
  const second = store.escalations.open(citra!, 'komplain', opened);
  store.escalations.staffWrote(second, 'Rina', opened + 10 * MINUTE);
  store.escalations.release(second, 'auto-release', opened + 13 * HOUR, 'auto_released');
  store.escalations.open(ani!, 'tanya stok', opened);
  const fourth = store.escalations.open(fajar!, 'retur', opened);
  store.escalations.staffWrote(fourth, 'Sari', opened + 2 * HOUR);
  store.escalations.open(dewi!, 'lama', at('2026-11-01T20:00:00'));
  wrote(budi!, opened);
  wrote(citra!, opened);

  // Check-ins: four satisfaction check-ins and a thank-you (whose answer is no rating) in the period; one before it.
  const sent = at('2026-11-06T10:00:00');
  store.checkins.record('old', dewi!, 'loyal_monthly', 'checkin_satisfaction', at('2026-10-20T10:00:00'));
  wrote(dewi!, at('2026-10-21T10:00:00'), '3');
  const checkins: Array<[number, string, string | null]> = [
    [ani!, 'checkin_satisfaction', '5 mantap!'],
    [budi!, 'checkin_satisfaction', 'nilai 4'],
    [citra!, 'checkin_satisfaction', '1'],
    [fajar!, 'checkin_satisfaction', null],
    [gita!, 'thanks_first_order', 'ok, 2 hari lagi ya'],
  ];
  for (const [customerId, flow, answer] of checkins) {
    store.checkins.record(`job-${customerId}`, customerId, flow === 'thanks_first_order' ? 'first_order_thanks' : 'loyal_monthly', flow, sent);
    if (answer !== null) wrote(customerId, at('2026-11-06T11:00:00'), answer);
  }
  store.close();
}

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function run(options: Partial<ReportOptions>): string {
  const out = new PassThrough();
  expect(report({ dbPath, flowsDir: 'flows', now: NOW, ...options }, out)).toBe(0);
  return String(out.read());
}

let dbPath = '';
beforeAll(() => {
  dbPath = join(tempDir(), 'setia.db');
  populate(dbPath);
});

describe('setia report', () => {
  it('prints the figures a shop owner reads for a week', () => {
    const text = run({ from: '2026-11-02', to: '2026-11-08' });
    expect(text).toMatch(/^Report for 2 Nov 2026 – 8 Nov 2026, Asia\/Jakarta time\n/);
    expect(text).toMatch(/^Conversations +5 customer\(s\) wrote to the shop$/m);
    expect(text).toMatch(/^Escalations +4 handed to staff: 1 released by staff, 1 handed back to the bot after staff went quiet, 2 still open$/m);
    expect(text).toMatch(/^First staff response +3 of 4 answered: median 10m, 90% within 2h$/m);
    expect(text).toMatch(/^Time to resolve +median 1h 5m \(1 released by staff\)$/m);
    expect(text).toMatch(/^Check-ins +5 sent, 4 answered \(80%\)$/m);
    expect(text).toMatch(/^Satisfaction +average 3\.3 of 5, from 3 rating\(s\)$/m);
    expect(text).toMatch(/^ +5 +█{20} +1 \(33%\)$/m);
    expect(text).toMatch(/^ +3 + +0 \(0%\)$/m);
  });

  it('gives machines the same figures as JSON', () => {
    const json = JSON.parse(run({ from: '2026-11-02', to: '2026-11-08', json: true }));
    expect(json).toMatchObject({
      from: at('2026-11-02T00:00:00'),
      to: at('2026-11-09T00:00:00'),
      conversations: 5,
      escalations: { opened: 4, released: 1, autoReleased: 1, stillOpen: 2 },
      firstResponse: { count: 3, medianMs: 10 * MINUTE, p90Ms: 2 * HOUR },
      resolution: { count: 1, medianMs: HOUR + 5 * MINUTE },
      checkins: { sent: 5, answered: 4, answerRate: 0.8 },
      satisfaction: { count: 3, distribution: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 1 } },
    });
    expect(json.satisfaction.average).toBeCloseTo(10 / 3);
  });

  it('covers the last 30 days until now by default', () => {
    const json = JSON.parse(run({ json: true }));
    expect(json).toMatchObject({ from: at('2026-10-22T00:00:00'), to: NOW, conversations: 7 });
    expect(json.satisfaction.count).toBe(3);
    expect(run({})).toMatch(/^Report for 22 Oct 2026 – 20 Nov 2026 \(now\), Asia\/Jakarta time\n/);
  });

  it('says so plainly when nothing happened', () => {
    const text = run({ from: '2026-12-01', to: '2026-12-07' });
    expect(text).toMatch(/^Conversations +0 customer\(s\)/m);
    expect(text).toMatch(/^Escalations +none: the bot handled every conversation$/m);
    expect(text).toMatch(/^Check-ins +none sent$/m);
    expect(text).toMatch(/^Satisfaction +no ratings yet$/m);
  });

  it.each([
    [{ from: '2026-11-31' }, '--from: expected a date as YYYY-MM-DD (got "2026-11-31")'],
    [{ to: '8/11/2026' }, '--to: expected a date as YYYY-MM-DD (got "8/11/2026")'],
    [{ from: '2026-11-08', to: '2026-11-02' }, '--to: expected a date on or after --from (2026-11-08) (got "2026-11-02")'],
  ])('refuses a bad date %j with one line', (dates, message) => {
    const error = thrown(() => report({ dbPath, flowsDir: 'flows', now: NOW, ...dates }, new PassThrough()));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });

  it('names a database that does not exist instead of reporting zeros', () => {
    const missing = join(tempDir(), 'nowhere.db');
    expect(() => report({ dbPath: missing, flowsDir: 'flows', now: NOW })).toThrow(SetiaError);
    expect(() => report({ dbPath: missing, flowsDir: 'flows', now: NOW })).toThrow(`${missing}: no database here`);
  });
});

describe('setia report, as the owner runs it', () => {
  it('prints the week and refuses a bad date with one line and exit code 1', () => {
    const week = setia(['report', '--from', '2026-11-02', '--to', '2026-11-08'], { env: { SETIA_DB: dbPath } });
    expect(week.status).toBe(0);
    expect(week.stdout).toMatch(/^First staff response +3 of 4 answered: median 10m, 90% within 2h$/m);
    const bad = setia(['report', '--from', '2026-11-31'], { env: { SETIA_DB: dbPath } });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('Invalid configuration: --from: expected a date as YYYY-MM-DD (got "2026-11-31")\n');
  });
});
