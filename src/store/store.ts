/** The store: one SQLite database, the single source of truth, with a module per table group. */
import type { Logger } from 'pino';
import { AuditStore } from './audit.js';
import { BackgroundCheckpoints } from './checkpointer.js';
import { CheckinStore } from './checkins.js';
import { ConversationStore } from './conversations.js';
import { CustomerHistoryStore } from './customer-history.js';
import { CustomerStore } from './customers.js';
import { openDatabase, type Db } from './database.js';
import { EscalationStore } from './escalations.js';
import { IdentityStore } from './identity.js';
import { InboxStore } from './inbox.js';
import { MessageStore } from './messages.js';
import { NoteStore } from './notes.js';
import { ReportStore } from './report.js';
import { SearchStore } from './search.js';
import { StaffAccountStore } from './staff-accounts.js';
import { StaffNotificationStore } from './staff-notifications.js';
import { StaffRequestStore } from './staff-requests.js';
import { WaStatusStore } from './wa-status.js';
import { WebSessionStore } from './web-sessions.js';

export class Store {
  readonly customers: CustomerStore;
  readonly customerHistory: CustomerHistoryStore;
  readonly conversations: ConversationStore;
  readonly messages: MessageStore;
  readonly escalations: EscalationStore;
  readonly waStatus: WaStatusStore;
  readonly checkins: CheckinStore;
  readonly identity: IdentityStore;
  readonly notes: NoteStore;
  readonly inbox: InboxStore;
  readonly staffAccounts: StaffAccountStore;
  readonly webSessions: WebSessionStore;
  readonly staffNotifications: StaffNotificationStore;
  readonly report: ReportStore;
  readonly staffRequests: StaffRequestStore;
  readonly audit: AuditStore;
  readonly search: SearchStore;

  // One transaction function for all: better-sqlite3 builds a new one per db.transaction() call.
  private readonly inTransaction: (work: () => unknown) => unknown;
  private checkpoints: BackgroundCheckpoints | undefined;

  constructor(readonly db: Db) {
    this.inTransaction = db.transaction((work: () => unknown) => work());
    this.customers = new CustomerStore(db);
    this.customerHistory = new CustomerHistoryStore(db);
    this.conversations = new ConversationStore(db);
    this.messages = new MessageStore(db);
    this.escalations = new EscalationStore(db);
    this.waStatus = new WaStatusStore(db);
    this.checkins = new CheckinStore(db);
    this.identity = new IdentityStore(db);
    this.notes = new NoteStore(db);
    this.inbox = new InboxStore(db);
    this.staffAccounts = new StaffAccountStore(db);
    this.webSessions = new WebSessionStore(db);
    this.staffNotifications = new StaffNotificationStore(db);
    this.report = new ReportStore(db, this.checkins);
    this.staffRequests = new StaffRequestStore(db);
    this.audit = new AuditStore(db);
    this.search = new SearchStore(db);
  }

  static open(path: string): Store {
    return new Store(openDatabase(path));
  }

  /** Runs `work` in one transaction: all of its writes land, or none. */
  transaction<T>(work: () => T): T {
    return this.inTransaction(work) as T;
  }

  /** Moves WAL checkpoints off the commits of a long-running bot (see checkpointer.ts). */
  checkpointInBackground(log: Pick<Logger, 'warn'>): void {
    this.checkpoints ??= new BackgroundCheckpoints(this.db, log);
  }

  close(): void {
    void this.checkpoints?.stop();
    this.db.close();
  }
}
