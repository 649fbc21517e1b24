/** The owner's staff accounts in the browser's forms: add, reset, remove, each in the audit log; the last owner stays. */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { removeTempDirs } from '../helpers/temp.js';
import { form, WebRig, type Session } from '../helpers/web-rig.js';

let rig: WebRig;
afterEach(() => rig?.close());
afterAll(removeTempDirs);

async function ownerRig(): Promise<Session> {
  rig = await new WebRig().start();
  await rig.account('Sari', 'owner');
  return rig.session('Sari');
}

const post = (url: string, session: Session, fields: Record<string, string> = {}) =>
  rig.app.inject({ method: 'POST', url, headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...fields, _csrf: session.csrf }) });

const oneTimePassword = (body: string): string => /<strong class="code">([^<]+)<\/strong>/.exec(body)![1]!;
const idOf = (name: string): number => rig.store.staffAccounts.byName(name)!.id;

describe('staff accounts on the owner page', () => {
  it('adds a colleague with a one-time password shown once, which logs them in', async () => {
    const sari = await ownerRig();
    const added = await post('/owner/accounts', sari, { name: 'Dewi', role: 'staff' });
    expect(added.statusCode).toBe(200);
    expect(added.headers['cache-control']).toBe('no-store');
    expect(added.body).toContain('Kata sandi sekali pakai untuk Dewi:');
    const password = oneTimePassword(added.body);
    expect((await rig.login('Dewi', password)).statusCode).toBe(303);
    expect(rig.store.staffAccounts.byName('Dewi')!.role).toBe('staff');
    // Shown once: the owner page afterwards has no password on it.
    const later = await rig.app.inject({ method: 'GET', url: '/owner', headers: { cookie: sari.cookie } });
    expect(later.body).not.toContain(password);
    expect(later.body).toMatch(/Sari menambah akun Dewi/);
    expect(rig.store.audit.recent(5)).toMatchObject([{ actor: 'Sari', action: 'account.add', target: 'Dewi' }]);
  });

  it('refuses a taken or unusable name and changes nothing', async () => {
    const sari = await ownerRig();
    const taken = await post('/owner/accounts', sari, { name: 'sari', role: 'owner' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Sudah ada akun bernama &quot;sari&quot;.');
    const bad = await post('/owner/accounts', sari, { name: '<b>x</b>', role: 'staff' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Nama tidak bisa dipakai');
    expect(rig.store.staffAccounts.all().map((account) => account.name)).toEqual(['Sari']);
    expect(rig.store.audit.recent(5)).toEqual([]);
  });

  it('resets a password: the old one stops working and the colleague is logged out', async () => {
    const sari = await ownerRig();
    await rig.account('Dewi');
    const dewi = await rig.session('Dewi');
    const reset = await post(`/owner/accounts/${idOf('Dewi')}/reset`, sari);
    const password = oneTimePassword(reset.body);
    expect((await rig.app.inject({ method: 'GET', url: '/', headers: { cookie: dewi.cookie } })).statusCode).toBe(303);
    expect((await rig.login('Dewi')).statusCode).toBe(401);
    expect((await rig.login('Dewi', password)).statusCode).toBe(303);
    expect(rig.store.audit.recent(1)).toMatchObject([{ actor: 'Sari', action: 'account.reset', target: 'Dewi' }]);
  });

  it('removes an account, but never the last owner', async () => {
    const sari = await ownerRig();
    await rig.account('Dewi');
    const removed = await post(`/owner/accounts/${idOf('Dewi')}/remove`, sari);
    expect(removed.body).toContain('Akun Dewi dihapus.');
    expect((await rig.login('Dewi')).statusCode).toBe(401);
    const last = await post(`/owner/accounts/${idOf('Sari')}/remove`, sari);
    expect(last.statusCode).toBe(409);
    expect(last.body).toContain('Pemilik terakhir tidak bisa dihapus');
    expect(rig.store.staffAccounts.byName('Sari')).toBeDefined();
  });

  it('keeps staff and forms without the token out', async () => {
    const sari = await ownerRig();
    await rig.account('Dewi');
    const dewi = await rig.session('Dewi');
    expect((await post('/owner/accounts', dewi, { name: 'Eka', role: 'owner' })).statusCode).toBe(403);
    const forged = await rig.app.inject({ method: 'POST', url: '/owner/accounts', headers: { cookie: sari.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ name: 'Eka' }) });
    expect(forged.statusCode).toBe(403);
    expect(rig.store.staffAccounts.byName('Eka')).toBeUndefined();
  });
});
