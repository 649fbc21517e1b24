/** Transfer from the conversation page: the colleague holds it, sees it as newly transferred, and is alerted live. */
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { removeTempDirs } from '../helpers/temp.js';
import { form, WebRig, type Session } from '../helpers/web-rig.js';

let rig: WebRig;
afterEach(() => rig?.close());
afterAll(removeTempDirs);

async function twoStaff(): Promise<{ rina: Session; dewi: Session; id: number }> {
  rig = await new WebRig().start();
  await rig.account('Rina');
  await rig.account('Dewi');
  await rig.customerSays('62811', 'admin', 'Budi');
  return { rina: await rig.session('Rina'), dewi: await rig.session('Dewi'), id: rig.customerId('62811') };
}

const transfer = (id: number, session: Session, to: string) =>
  rig.app.inject({ method: 'POST', url: `/api/conversations/${id}/transfer`, headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ to, _csrf: session.csrf }) });

/** Reads a live stream until `until` holds for what arrived; `act` runs once it is open. */
function stream(address: string, session: Session, act: () => Promise<void>, until: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const request = httpRequest(`${address}/api/events`, { headers: { cookie: session.cookie } }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (until(text)) {
          request.destroy();
          resolve(text);
        }
      });
      act().catch(reject);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('transferring from the inbox', () => {
  it('offers the colleagues, and the colleague then holds it, marked as transferred by whom', async () => {
    const { rina, dewi, id } = await twoStaff();
    const page = await rig.app.inject({ method: 'GET', url: `/conversations/${id}`, headers: { cookie: rina.cookie } });
    expect(page.body).toMatch(/<form method="post" action="\/api\/conversations\/\d+\/transfer" class="transfer">.*<option>Dewi<\/option><\/select>/s);
    expect(page.body).not.toContain('<option>Rina</option>');

    const answer = await transfer(id, rina, 'dewi');
    expect([answer.statusCode, answer.headers.location]).toEqual([303, `/conversations/${id}`]);
    const inbox = (await rig.app.inject({ method: 'GET', url: '/api/inbox', headers: { cookie: dewi.cookie } })).json<{ mine: Array<{ name: string; transferredBy: string }> }>();
    expect(inbox.mine).toMatchObject([{ name: 'Budi', transferredBy: 'Rina' }]);
    const dewisInbox = await rig.app.inject({ method: 'GET', url: '/', headers: { cookie: dewi.cookie } });
    expect(dewisInbox.body).toMatch(/Milik saya.*<li class="entry claimed transferred">.*dialihkan oleh Rina.*Minta admin/s);
    expect(rig.store.db.prepare(`SELECT actor, target FROM escalation_events WHERE kind = 'transferred'`).all()).toEqual([{ actor: 'Rina', target: 'Dewi' }]);

    // Once Dewi answers, it is simply hers.
    await rig.desk.reply(id, 'Dewi', 'Halo Kak, saya Dewi');
    const after = (await rig.app.inject({ method: 'GET', url: '/api/inbox', headers: { cookie: dewi.cookie } })).json<{ mine: Array<{ transferredBy: string | null }> }>();
    expect(after.mine).toMatchObject([{ transferredBy: null }]);
  });

  it('refuses oneself, an unknown name and a released conversation with a clear message, changing nothing', async () => {
    const { rina, id } = await twoStaff();
    const refusals = [
      [await transfer(id, rina, 'RINA'), 'Tidak bisa mengalihkan ke diri sendiri; tidak ada yang diubah.'],
      [await transfer(id, rina, 'Sari'), 'Tidak ada akun staf bernama "Sari"; tidak ada yang diubah.'],
    ] as const;
    await rig.desk.release(id, 'Rina');
    const released = await transfer(id, rina, 'Dewi');
    for (const [answer, message] of [...refusals, [released, 'Percakapan ini tidak sedang ditangani staf (sudah kembali ke bot); tidak ada yang dialihkan.'] as const]) {
      expect([answer.statusCode, answer.json()]).toEqual([400, { error: message }]);
    }
    expect(rig.store.db.prepare(`SELECT count(*) AS n FROM escalation_events WHERE kind = 'transferred'`).get()).toEqual({ n: 0 });
  });

  it('alerts the colleague’s open tab live: a new escalation, then the transfer to them', async () => {
    rig = await new WebRig().start();
    await rig.account('Rina');
    await rig.account('Dewi');
    const [rina, dewi] = [await rig.session('Rina'), await rig.session('Dewi')];
    const address = await rig.app.listen({ port: 0, host: '127.0.0.1' });
    const alerts = (text: string): Array<{ kind: string; title: string }> => [...text.matchAll(/event: alert\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!));
    const received = await stream(
      address,
      dewi,
      async () => {
        await rig.customerSays('62811', 'admin', 'Budi');
        await rig.customerSays('62811', 'halo?'); // the same escalation: no second alert
        await transfer(rig.customerId('62811'), rina, 'Dewi');
      },
      (text) => alerts(text).length >= 2,
    );
    expect(alerts(received)).toMatchObject([
      { kind: 'opened', title: 'Pelanggan menunggu' },
      { kind: 'transferred', title: 'Rina mengalihkan percakapan ke Anda' },
    ]);
  });
});
