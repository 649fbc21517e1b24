import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CliSession, setia } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const noStackTrace = (text: string): void => expect(text).not.toMatch(/\n\s+at /);

describe('setia flows check', () => {
  it('passes the shipped flows', () => {
    const result = setia(['flows', 'check']);
    expect(result.stdout).toMatch(/^flows: \d+ flows, \d+ triggers, 2 check-in rule\(s\), 12 product\(s\) in data\/catalog\.csv: no errors/m);
    expect(result.status).toBe(0);
  });

  it('prints file:line:col lines for broken flows and exits 1, without a stack trace', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'shop.yaml'), 'fallback: f\nflows:\n  f:\n    steps:\n      - sya: halo\n');
    const result = setia(['flows', 'check', dir]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/shop\.yaml:5:9: unknown kind "sya" \(did you mean "say"\?\)/);
    noStackTrace(result.stdout + result.stderr);
  });
});

describe('setia flows test', () => {
  it('runs the shipped conversation tests: at least 12, none failing', () => {
    const result = setia(['flows', 'test']);
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(result.stdout);
    expect(summary?.[2]).toBe('0');
    expect(Number(summary?.[1])).toBeGreaterThanOrEqual(12);
    expect(result.status).toBe(0);
  });

  it('exits 1 and shows the failing turn when a test fails', () => {
    const dir = tempDir();
    cpSync('flows', join(dir, 'flows'), { recursive: true });
    cpSync('data', join(dir, 'data'), { recursive: true }); // the catalogue and the pictures the flows send
    writeFileSync(join(dir, 'flows', 'tests', 'zz-broken.test.yaml'), 'name: broken on purpose\nconversation:\n  - customer: halo\n    bot: ["tidak ada kalimat seperti ini"]\n');
    const result = setia(['flows', 'test'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/✗ broken on purpose/);
    expect(result.stdout).toMatch(/zz-broken\.test\.yaml:3:5: turn 1, customer: "halo"/);
    expect(result.stdout).toMatch(/^\d+ passed, 1 failed$/m);
  });
});

describe('setia flows schema', () => {
  it('writes the JSON Schemas the shipped files point their editors at', () => {
    const dir = tempDir();
    const result = setia(['flows', 'schema', '--flows', dir]);
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'flows.schema.json'), 'utf8')).toBe(readFileSync('flows/flows.schema.json', 'utf8'));
    expect(readFileSync(join(dir, 'tests', 'tests.schema.json'), 'utf8')).toBe(readFileSync('flows/tests/tests.schema.json', 'utf8'));
    for (const file of readdirSync('flows').filter((f) => f.endsWith('.yaml'))) {
      expect(readFileSync(join('flows', file), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/flows\.schema\.json\n/);
    }
    for (const file of readdirSync('flows/tests').filter((f) => f.endsWith('.yaml'))) {
      expect(readFileSync(join('flows/tests', file), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/tests\.schema\.json\n/);
    }
  });
});

describe('configuration and help', () => {
  it('stops with one clear line naming an invalid variable', () => {
    const result = setia(['start'], { env: { LOG_LEVEL: 'loud' } });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration: LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")');
  });

  it('reads settings from a .env file, which the environment overrides', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'SETIA_FLOWS=nowhere\n');
    const result = setia(['flows', 'check'], { cwd: dir });
    expect(result.stdout).toMatch(/nowhere:1:1: cannot read the flows directory: ENOENT/);
    expect(setia(['flows', 'check'], { cwd: dir, env: { SETIA_FLOWS: 'elsewhere' } }).stdout).toMatch(/elsewhere:1:1/);
  });

  it.each([['start'], ['chat'], ['status'], ['flows', 'check'], ['flows', 'test'], ['flows', 'schema'], ['checkins', 'preview'], ['customers', 'import'], ['report'], ['staff', 'add'], ['staff', 'passwd']])('has --help for %s', (...command) => {
    const result = setia([...command, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: setia /);
  });
});

describe('setia start', () => {
  it('keeps retrying WhatsApp with backoff, one log line per attempt, runs check-ins and reminders on its own Redis, serves the inbox, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    cpSync('flows', join(dir, 'flows'), { recursive: true });
    cpSync('data', join(dir, 'data'), { recursive: true });
    const port = await freePort();
    const bot = new CliSession(['start'], dir, { WA_WEBSOCKET_URL: 'ws://127.0.0.1:9/ws', SETIA_DB: join(dir, 'setia.db'), REDIS_URL: '', WEB_PORT: String(port) });
    try {
      await bot.waitFor(/"socket":"[^"]*redis\.sock".*private Redis started/);
      await bot.waitFor(/no staff accounts yet: create the first with `setia staff add <name> --owner`/);
      await bot.waitFor(/check-ins and reminders running/);
      await bot.waitFor(/staff inbox listening/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([health.status, await health.json()]).toEqual([503, { ok: false, whatsapp: false, redis: true }]);
      expect((await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' })).headers.get('location')).toBe('/login?next=%2F');
      let seen = await bot.waitFor(/"attempt":1,"retryInMs":\d+.*reconnecting/);
      seen = await bot.waitFor(/"attempt":2,"retryInMs":\d+.*reconnecting/, seen);

      const second = setia(['start'], { cwd: dir, env: { SETIA_DB: join(dir, 'setia.db') } });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/setia\.db is in use by another Setia \(pid \d+ on .*stop it first/);

      const status = JSON.parse(setia(['status', '--json'], { cwd: dir, env: { SETIA_DB: join(dir, 'setia.db') } }).stdout);
      expect(status).toMatchObject({ running: true, linked: false, connected: false, lastDisconnect: expect.stringMatching(/connection closed/), outbox: 0, checkins: { dueNow: 0, sentToday: 0 } });
      bot.child.kill('SIGTERM');
      await bot.waitFor(/stopping \(SIGTERM\)/, seen);
    } finally {
      expect(await bot.close()).toBe(0);
    }
    expect(JSON.parse(setia(['status', '--json'], { cwd: dir, env: { SETIA_DB: join(dir, 'setia.db') } }).stdout)).toMatchObject({ running: false });
    expect(existsSync(join(dir, 'redis.sock'))).toBe(false); // the private Redis stopped with the bot
    expect(existsSync(join(dir, 'appendonlydir'))).toBe(true); // and kept its AOF
  }, 60_000);

  it('refuses an invalid pairing number with one clear line', () => {
    const result = setia(['start'], { env: { WA_PAIRING_NUMBER: '+62 812' } });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration: WA_PAIRING_NUMBER: expected digits with the country code and no leading 0 or +, e.g. 6281234567890 (got "+62 812")');
  });
});

describe('setia chat', () => {
  it('shows a product photo as [gambar: …] and explains with /why what the last message matched', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'flows'));
    mkdirSync(join(dir, 'data', 'photos'), { recursive: true });
    writeFileSync(join(dir, 'data', 'photos', 'roti.png'), 'png');
    writeFileSync(join(dir, 'data', 'catalog.csv'), 'name,price,photo\nRoti coklat,12000,data/photos/roti.png\n');
    const flows = 'fallback: f\nflows:\n  p:\n    triggers: [":product"]\n    steps: [ { image: "{{product.photo}}", caption: "{{product.name}} {{product.price}}" } ]\n  f: { steps: [ { say: "belum paham" } ] }\n';
    writeFileSync(join(dir, 'flows', 'shop.yaml'), flows);
    const chat = new CliSession(['chat', '--db', join(dir, 'chat.db')], dir);
    try {
      await chat.waitFor(/\/help for commands/);
      chat.type('brp harga roti coklat?');
      let seen = await chat.waitFor(/\[gambar: data\/photos\/roti\.png\] Roti coklat Rp 12\.000/);
      chat.type('/why');
      seen = await chat.waitFor(/"roti coklat" matched product "Roti coklat" of flow p, .*; flows started: p\./, seen);
      chat.type('apa ya');
      seen = await chat.waitFor(/belum paham/, seen);
      chat.type('/why');
      await chat.waitFor(/matched no trigger, menu option or product; flows started: f\./, seen);
      chat.type('/quit');
      expect(await chat.close()).toBe(0);
    } finally {
      await chat.close();
    }
  }, 60_000);

  it('holds a conversation, and an edited flow file changes the next reply', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'flows'));
    const flow = (greeting: string): string => `fallback: f\nflows:\n  f:\n    triggers: [halo]\n    steps: [ { say: "${greeting}" } ]\n`;
    writeFileSync(join(dir, 'flows', 'shop.yaml'), flow('Halo dari versi *satu*'));
    const chat = new CliSession(['chat', '--db', join(dir, 'chat.db')], dir);
    try {
      await chat.waitFor(/\/help for commands/);
      chat.type('halo');
      let seen = await chat.waitFor(/Halo dari versi \*satu\*/);
      writeFileSync(join(dir, 'flows', 'shop.yaml'), flow('Halo dari versi dua'));
      seen = await chat.waitFor(/flows reloaded/, seen);
      chat.type('halo');
      seen = await chat.waitFor(/Halo dari versi dua/, seen);
      writeFileSync(join(dir, 'flows', 'shop.yaml'), 'flows: [broken\n');
      seen = await chat.waitFor(/shop\.yaml:2:1: YAML syntax/, seen);
      chat.type('halo');
      await chat.waitFor(/Halo dari versi dua/, seen);
      chat.type('/whoami');
      await chat.waitFor(/name: Budi +phone: 6281234567890/);
    } finally {
      expect(await chat.close()).toBe(0);
    }
  }, 60_000);

  it('lets the tester act as staff and move the clock', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'flows', 'shop.yaml'), 'fallback: f\nflows:\n  f: { steps: [ { say: "Maaf?" } ] }\n  s: { triggers: [staf], steps: [ { escalate: x, say: "Sebentar" } ] }\n');
    const chat = new CliSession(['chat', '--db', join(dir, 'chat.db'), '--name', 'Sari'], dir);
    try {
      chat.type('staf');
      let seen = await chat.waitFor(/Sebentar/);
      chat.type('halo');
      seen = await chat.waitFor(/the bot stays silent/, seen);
      chat.type('/staff Halo, saya Rina');
      seen = await chat.waitFor(/\(staff\)[^\n]*\nHalo, saya Rina/, seen);
      chat.type('/release');
      chat.type('/wait 3d');
      seen = await chat.waitFor(/it is now/, seen);
      chat.type('halo');
      await chat.waitFor(/Maaf\?/, seen);
    } finally {
      await chat.close();
    }
  }, 60_000);

  it('shows an escalation in the staff inbox, and the reply typed there reaches the terminal', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'flows', 'shop.yaml'), 'fallback: f\nflows:\n  f: { steps: [ { say: "Maaf?" } ] }\n  s: { triggers: [staf], steps: [ { escalate: Minta staf, say: "Sebentar" } ] }\n');
    const chat = new CliSession(['chat', '--db', join(dir, 'chat.db'), '--name', 'Sari'], dir, { WEB_PORT: String(await freePort()) });
    try {
      await chat.waitFor(/with password \S+\)/);
      const [, url, password] = /Staff inbox: (\S+) +\(log in as "chat" with password (\S+)\)/.exec(chat.text)!;
      chat.type('staf');
      let seen = await chat.waitFor(/Sebentar/);
      const inbox = await logIn(url!, 'chat', password!);
      const waiting = (await inbox.get('/api/inbox')) as { waiting: Array<{ customerId: number; reason: string; name: string }> };
      expect(waiting.waiting).toMatchObject([{ reason: 'Minta staf', name: 'Sari' }]);
      await inbox.post(`/api/conversations/${waiting.waiting[0]!.customerId}/reply`, { text: 'Halo Kak Sari, saya dari toko' });
      seen = await chat.waitFor(/\(staff\)[^\n]*\nHalo Kak Sari, saya dari toko/, seen);
      await inbox.post(`/api/conversations/${waiting.waiting[0]!.customerId}/release`, {});
      chat.type('halo');
      await chat.waitFor(/Maaf\?/, seen);
    } finally {
      await chat.close();
    }
  }, 60_000);
});

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Logs in to the inbox over HTTP as a browser would, for JSON calls with the session and CSRF token. */
async function logIn(base: string, name: string, password: string) {
  const page = await fetch(`${base}/login`);
  const loginCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, password, _csrf: csrf }).toString(),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('setia_session='))!.split(';')[0]!;
  const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as { csrfToken: string };
  return {
    get: async (path: string): Promise<unknown> => (await fetch(`${base}${path}`, { headers: { cookie } })).json(),
    post: async (path: string, body: object): Promise<unknown> =>
      (await fetch(`${base}${path}`, { method: 'POST', headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json(),
  };
}
