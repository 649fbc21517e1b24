/**
 * A shop's customer base for the check-in and memory benchmarks: `count` customers who wrote to the shop before,
 * planned by the real check-in planner with the shipped rules. 30% are loyal and quiet for 40 days (due now, by
 * `loyal_monthly`); 40% are loyal and wrote 5 days ago (due in 25 days); 30% bought nothing yet (no rule applies).
 * Built once per size and copied for each run. The planned check-in time is written the way the planner
 * writes it (re-planning 100,000 customers through the planner takes half a minute here); a sample is re-planned
 * through the real planner and must come out unchanged.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CheckinPlanner } from '../src/checkins/planner.js';
import type { FlowSet } from '../src/core/flow/types.js';
import { Store } from '../src/store/store.js';
import { tempDir } from './common.js';
import { chatIdOf, MONDAY_10AM_WIB } from './workload.js';

const DAY = 86_400_000;
export const DUE_SHARE = 0.3;

/** Whether customer `c` is one of the due 30%. */
export function isDue(c: number): boolean {
  return c % 10 < 3;
}

function build(path: string, count: number, flows: () => FlowSet, now: number): void {
  const store = Store.open(path);
  const insert = store.db.prepare(
    `INSERT INTO customers (wa_id, phone, name, name_source, tags, counters, vars, created_at, first_contact_at, last_contact_at, last_inbound_at, checkin_due_at)
     VALUES (?, ?, ?, 'whatsapp', ?, ?, '{}', ?, ?, ?, ?, ?)`,
  );
  store.transaction(() => {
    for (let c = 0; c < count; c++) {
      const kind = c % 10;
      const loyal = kind < 7;
      const last = now - (kind < 3 ? 40 : kind < 7 ? 5 : 10) * DAY;
      const wa = chatIdOf(c);
      // loyal_monthly: due 30 days after the last contact; one due already is planned at the moment of planning.
      const dueAt = !loyal ? null : kind < 3 ? now : last + 30 * DAY;
      insert.run(wa, wa.slice(0, -15), `Pelanggan ${c}`, loyal ? '["loyal"]' : '[]', loyal ? '{"orders":3}' : '{}', last - 200 * DAY, last - 200 * DAY, last, last, dueAt);
    }
  });
  verifyPlans(store, flows, now, count);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
}

/** Re-plans a sample through the real planner: nothing may change, or the fixture no longer matches the rules. */
function verifyPlans(store: Store, flows: () => FlowSet, now: number, count: number): void {
  const planner = new CheckinPlanner(store, flows);
  const read = store.db.prepare<[{ id: number }], { due: number | null; matches: number }>(
    'SELECT checkin_due_at AS due, (SELECT count(*) FROM checkin_matches WHERE customer_id = @id) AS matches FROM customers WHERE id = @id',
  );
  const step = Math.max(1, Math.floor(count / 1_000));
  try {
    store.transaction(() => {
    for (let id = 1; id <= count; id += step) {
      const before = read.get({ id })!;
      planner.replan(id, now);
      const after = read.get({ id })!;
      if (before.due !== after.due || after.matches !== 0) {
        throw new Error(`bench fixture out of date with the check-in rules: customer ${id} planned ${before.due}, the planner says ${after.due}`);
      }
    }
    throw new Rollback(); // leave the fixture as built
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
}

class Rollback extends Error {}

const built = new Map<string, string>();

/** A fresh copy of a database with `count` customers planned at `now` (built on first use). */
export function customerDb(count: number, flows: () => FlowSet, now: number = MONDAY_10AM_WIB): string {
  const key = `${count}@${now}`;
  let template = built.get(key);
  if (!template || !existsSync(template)) {
    template = join(tempDir(), `customers-${count}.db`);
    build(template, count, flows, now);
    built.set(key, template);
  }
  const copy = join(tempDir(), `customers-${count}.db`);
  copyFileSync(template, copy);
  return copy;
}
