/**
 * The staff inbox on a real SQLite file, the real pipeline and flows, the simulator transport and a clock the
 * test moves. Requests go through `fastify.inject` (or a real port for the browser test).
 */
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { FlowSet } from '../../src/core/flow/types.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { Activity } from '../../src/staff/activity.js';
import { StaffDesk } from '../../src/staff/desk.js';
import { hashPassword } from '../../src/staff/password.js';
import type { Role } from '../../src/store/staff-accounts.js';
import { Store } from '../../src/store/store.js';
import { SimulatorTransport, type SentMessage } from '../../src/transport/simulator.js';
import { html } from '../../src/web/html.js';
import type { Logger } from 'pino';
import type { ThrottleLimits } from '../../src/web/login-throttle.js';
import { buildWebServer } from '../../src/web/server.js';
import { flowsFrom, MONDAY_10AM } from './engine.js';
import { silentLog, tempDir } from './temp.js';

export const INBOX_FLOWS = flowsFrom(`
settings:
  hours: { mon-sat: "08:00-17:00", sun: closed }
  quick_replies: { ongkir: "Ongkir ke {{customer.name}} Rp10.000 ya" }
fallback: echo
flows:
  echo: { steps: [ { say: "Bot: {{message.text}}" } ] }
  human:
    triggers: [admin]
    steps: [ { escalate: "Minta admin", say: "Sebentar ya, admin segera membalas" } ]
`);

export const PASSWORD = 'rahasia-toko-123';

export interface Session {
  cookie: string;
  csrf: string;
}

export class WebRig {
  readonly store: Store;
  readonly transport = new SimulatorTransport(MONDAY_10AM);
  readonly pipeline: Pipeline;
  readonly desk: StaffDesk;
  readonly activity = new Activity();
  readonly sent: SentMessage[] = [];
  now = MONDAY_10AM;
  app!: FastifyInstance;
  /** The shop folder: pictures of the transcript live in its data/. */
  readonly shopDir = tempDir();

  constructor(readonly flows: FlowSet = INBOX_FLOWS) {
    this.store = Store.open(join(tempDir(), 'setia.db'));
    const clock = (): number => this.now;
    this.pipeline = new Pipeline({
      store: this.store,
      transport: this.transport,
      flows: () => this.flows,
      clock,
      random: () => 0,
      log: silentLog,
      afterCommit: (customerId) => this.activity.changed(customerId),
      mediaRoot: this.shopDir,
    });
    this.desk = new StaffDesk(this.store, this.pipeline, clock);
    this.transport.onInbound((message) => this.pipeline.handleInbound(message));
    this.transport.onSend((message) => this.sent.push(message));
  }

  async start(options: { baseUrl?: string; sessionTtlMs?: number; throttle?: ThrottleLimits; log?: Logger } = {}): Promise<this> {
    this.app = await buildWebServer({
      store: this.store,
      desk: this.desk,
      activity: this.activity,
      flows: () => this.flows,
      mediaRoot: this.shopDir,
      clock: () => this.now,
      log: options.log ?? silentLog,
      baseUrl: options.baseUrl ?? 'http://localhost:3000',
      health: async () => ({ whatsapp: true, redis: null }),
      owner: {
        status: () => ({ running: true, pid: 1, linked: true, connected: true, since: null, lastDisconnect: null, lastDisconnectAt: null, today: { received: 0, sent: 0 }, outbox: 0, checkins: { dueNow: 0, sentToday: 0, answeredToday: 0 } }),
        qrFile: null,
        pairingCode: () => null,
        report: () => html`<section class="report"><h2>Report</h2></section>`,
        queues: [],
      },
      sessionTtlMs: options.sessionTtlMs,
      throttle: options.throttle,
    });
    return this;
  }

  async account(name: string, role: Role = 'staff'): Promise<void> {
    this.store.staffAccounts.add(name, role, await hashPassword(PASSWORD), this.now);
  }

  /** A customer writes to the shop. */
  customerSays(phone: string, text: string, pushName = 'Budi'): Promise<void> {
    return this.transport.deliver({ id: `M${this.now}-${Math.random()}`, chatId: `${phone}@s.whatsapp.net`, phone, pushName, kind: 'text', text, at: this.now });
  }

  customerId(phone: string): number {
    return this.store.customers.get(`${phone}@s.whatsapp.net`)!.rowId;
  }

  /** Fetches the login form and posts it, as a browser would. */
  async login(name: string, password = PASSWORD, ip = '10.0.0.1', extraCookie = ''): Promise<LightMyRequestResponse> {
    const page = await this.app.inject({ method: 'GET', url: '/login', remoteAddress: ip });
    const loginCookie = cookieOf(page, 'setia_login')!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    return this.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: ip,
      headers: { cookie: `setia_login=${loginCookie}${extraCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ name, password, _csrf: csrf, next: '/' }),
    });
  }

  /** Logs in and returns the session cookie and CSRF token. */
  async session(name: string): Promise<Session> {
    const response = await this.login(name);
    if (response.statusCode !== 303) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
    const cookie = `setia_session=${cookieOf(response, 'setia_session')}`;
    const me = await this.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    return { cookie, csrf: me.json<{ csrfToken: string }>().csrfToken };
  }

  textsTo(phone: string): string[] {
    return this.sent.filter((message) => message.chatId === `${phone}@s.whatsapp.net`).map((message) => message.text);
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.pipeline.idle();
    this.store.close();
  }
}

/** A body as an HTML form sends it. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function cookieOf(response: LightMyRequestResponse, name: string): string | undefined {
  return response.cookies.find((cookie) => cookie.name === name)?.value;
}
