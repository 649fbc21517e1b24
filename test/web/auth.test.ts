import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/logger.js';
import { cookieOf, form, PASSWORD, WebRig } from '../helpers/web-rig.js';
import { removeTempDirs } from '../helpers/temp.js';

let rig: WebRig;
afterEach(() => rig?.close());
afterAll(removeTempDirs);

describe('the inbox behind a login', () => {
  it('shows no page and no API without a session', async () => {
    rig = await new WebRig().start();
    for (const url of ['/', '/conversations/1', '/owner', '/admin/queues', '/owner/qr.png']) {
      const response = await rig.app.inject({ method: 'GET', url });
      expect([url, response.statusCode, response.headers.location]).toEqual([url, 303, `/login?next=${encodeURIComponent(url)}`]);
    }
    for (const url of ['/api/inbox', '/api/me', '/api/conversations/1', '/api/events']) {
      expect((await rig.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
    expect((await rig.app.inject({ method: 'POST', url: '/api/conversations/1/reply', payload: { text: 'x' } })).statusCode).toBe(401);
  });

  it('says how to create the first account when there is none', async () => {
    rig = await new WebRig().start();
    const page = await rig.app.inject({ method: 'GET', url: '/login' });
    expect(page.body).toContain('setia staff add YourName --owner');
  });

  it('logs in with the right password only, in an HttpOnly SameSite=Strict cookie', async () => {
    rig = await new WebRig().start();
    await rig.account('Rina');
    const wrong = await rig.login('Rina', 'salah-sandi');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Nama atau kata sandi salah.');
    expect(cookieOf(wrong, 'setia_session')).toBeUndefined();

    const right = await rig.login('rina'); // names compare without case
    expect(right.statusCode).toBe(303);
    const cookie = right.cookies.find((c) => c.name === 'setia_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const inbox = await rig.app.inject({ method: 'GET', url: '/', headers: { cookie: `setia_session=${cookie.value}` } });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Tidak ada yang menunggu staf.');
  });

  it('keeps passwords, password hashes and session tokens out of the logs, even at trace level', async () => {
    const lines: string[] = [];
    const log = createLogger({ logLevel: 'trace', logFormat: 'json' }, { write: (line: string) => void lines.push(line) });
    rig = await new WebRig().start({ log });
    await rig.account('Rina');
    await rig.login('Rina', 'salah-sandi');
    const right = await rig.login('Rina');
    const token = cookieOf(right, 'setia_session')!;
    const cookie = `setia_session=${token}`;
    await rig.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    await rig.app.inject({ method: 'GET', url: '/api/inbox', headers: { cookie: 'setia_session=forged-token' } });
    await rig.app.inject({ method: 'POST', url: '/logout', headers: { cookie } });
    const logged = lines.join('');
    expect(lines.length).toBeGreaterThan(0); // something was logged, and searched
    for (const secret of [PASSWORD, 'salah-sandi', rig.store.staffAccounts.byName('Rina')!.passwordHash, token]) expect(logged).not.toContain(secret);
  });

  it('marks the cookie Secure when the inbox is served over https', async () => {
    rig = await new WebRig().start({ baseUrl: 'https://inbox.tokosari.id' });
    await rig.account('Rina');
    const response = await rig.login('Rina');
    expect(response.cookies.find((c) => c.name === 'setia_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
    expect(response.headers['strict-transport-security']).toBeDefined();
  });

  it('refuses a login form that did not come from the login page', async () => {
    rig = await new WebRig().start();
    await rig.account('Rina');
    const forged = await rig.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ name: 'Rina', password: PASSWORD, _csrf: 'guess' }),
    });
    expect(forged.statusCode).toBe(403);
    expect(cookieOf(forged, 'setia_session')).toBeUndefined();
  });

  it('enforces the CSRF token on every state-changing request', async () => {
    rig = await new WebRig().start();
    await rig.account('Rina');
    await rig.customerSays('62811', 'admin');
    const { cookie, csrf } = await rig.session('Rina');
    const url = `/api/conversations/${rig.customerId('62811')}/reply`;
    const without = await rig.app.inject({ method: 'POST', url, headers: { cookie }, payload: { text: 'Halo dari Rina' } });
    const wrong = await rig.app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': 'x'.repeat(csrf.length) }, payload: { text: 'Halo dari Rina' } });
    expect([without.statusCode, wrong.statusCode]).toEqual([403, 403]);
    expect(rig.textsTo('62811')).toEqual(['Sebentar ya, admin segera membalas']);
    const good = await rig.app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': csrf }, payload: { text: 'Halo dari Rina' } });
    expect(good.statusCode).toBe(200);
    expect(rig.textsTo('62811')).toEqual(['Sebentar ya, admin segera membalas', 'Halo dari Rina']);
    const logout = await rig.app.inject({ method: 'POST', url: '/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(403); // logging someone out is a state change too
  });

  it('rate-limits failed logins per account and per IP', async () => {
    rig = await new WebRig().start({ throttle: { perAccount: 3, perIp: 5, windowMs: 60_000 } });
    await rig.account('Rina');
    await rig.account('Dewi');
    for (let i = 0; i < 3; i++) expect((await rig.login('Rina', 'salah', '10.0.0.1')).statusCode).toBe(401);
    const locked = await rig.login('Rina', PASSWORD, '10.0.0.2'); // even the right password, even from elsewhere
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Terlalu banyak percobaan gagal');
    expect(locked.headers['retry-after']).toBe('60');
    expect((await rig.login('Dewi', PASSWORD, '10.0.0.2')).statusCode).toBe(303); // other accounts are not locked out

    for (let i = 0; i < 2; i++) await rig.login(`nobody${i}`, 'salah', '10.0.0.1'); // the fourth and fifth failure from this IP
    expect((await rig.login('Dewi', PASSWORD, '10.0.0.1')).statusCode).toBe(429);

    rig.now += 61_000;
    expect((await rig.login('Rina', PASSWORD, '10.0.0.1')).statusCode).toBe(303);
  });

  it('keeps staff out of the owner pages', async () => {
    rig = await new WebRig().start();
    await rig.account('Rina');
    await rig.account('Sari', 'owner');
    const staff = await rig.session('Rina');
    const owner = await rig.session('Sari');
    for (const url of ['/owner', '/admin/queues']) {
      expect([url, (await rig.app.inject({ method: 'GET', url, headers: { cookie: staff.cookie } })).statusCode]).toEqual([url, 403]);
    }
    expect((await rig.app.inject({ method: 'GET', url: '/owner', headers: { cookie: owner.cookie } })).statusCode).toBe(200);
    const dashboard = await rig.app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie: owner.cookie } });
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('<div id="root">');
    const inbox = await rig.app.inject({ method: 'GET', url: '/', headers: { cookie: staff.cookie } });
    expect(inbox.body).not.toContain('href="/owner"');
  });

  it('ends sessions on expiry and on logout, on the server', async () => {
    rig = await new WebRig().start({ sessionTtlMs: 3_600_000 });
    await rig.account('Rina');
    const first = await rig.session('Rina');
    rig.now += 3_600_001;
    expect((await rig.app.inject({ method: 'GET', url: '/api/inbox', headers: { cookie: first.cookie } })).statusCode).toBe(401);

    const second = await rig.session('Rina');
    const logout = await rig.app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: second.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: second.csrf }),
    });
    expect([logout.statusCode, logout.headers.location]).toEqual([303, '/login']);
    // The old cookie, replayed by anyone who copied it, opens nothing.
    expect((await rig.app.inject({ method: 'GET', url: '/api/inbox', headers: { cookie: second.cookie } })).statusCode).toBe(401);
  });

  it('never promotes a session id planted before login (fixation)', async () => {
    rig = await new WebRig().start();
    await rig.account('Rina');
    const response = await rig.login('Rina', PASSWORD, '10.0.0.1', '; setia_session=planted-by-attacker');
    const issued = cookieOf(response, 'setia_session');
    expect(issued).toBeDefined();
    expect(issued).not.toBe('planted-by-attacker');
    expect((await rig.app.inject({ method: 'GET', url: '/api/inbox', headers: { cookie: 'setia_session=planted-by-attacker' } })).statusCode).toBe(401);
  });

  it('sends a logged-in visitor back to the page they asked for, but never off the site', async () => {
    rig = await new WebRig().start();
    await rig.account('Rina');
    const page = await rig.app.inject({ method: 'GET', url: '/login?next=//evil.example/x' });
    expect(page.body).toContain('name="next" value="/"');
  });
});
