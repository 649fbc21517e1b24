import { afterAll, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { withSentContact } from '../../src/store/customers.js';
import { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const ANI = '628111@s.whatsapp.net';

it('saving a turn writes what the flow changed and the reply contact, and returns the customer exactly as stored', () => {
  const store = Store.open(join(tempDir(), 'setia.db'));
  const before = store.customers.contact(ANI, 1_000, { pushName: 'Ani', inbound: true });
  const after = withSentContact({ ...before, name: 'Ibu Ani', tags: ['loyal'], counters: { orders: 1 }, vars: { kota: 'Bandung' } }, 2_000);
  const saved = store.customers.save(before, after);
  expect(saved).toEqual(store.customers.get(ANI));
  expect(saved).toMatchObject({ name: 'Ibu Ani', nameSource: 'flow', tags: ['loyal'], vars: { kota: 'Bandung' }, firstContactAt: 1_000, lastContactAt: 2_000, wroteAt: 1_000 });
  store.close();
});

it('a save writes only the columns it changed, so what was written beside it since the read is kept', () => {
  const store = Store.open(join(tempDir(), 'setia.db'));
  const before = store.customers.contact(ANI, 1_000, { pushName: 'Ani' });
  store.customers.save(before, { ...before, vars: { kota: 'Bandung' } }, 'staff');
  store.customers.save(before, { ...before, tags: ['loyal'] });
  expect(store.customers.get(ANI)).toMatchObject({ tags: ['loyal'], vars: { kota: 'Bandung' }, name: 'Ani', nameSource: 'whatsapp' });
  store.close();
});
