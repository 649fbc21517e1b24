/**
 * The database schema, as numbered migrations applied in order at start-up.
 * A migration that has shipped is never edited: change the schema by appending a new one.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'customers, conversations, messages, escalations',
    sql: `
      CREATE TABLE customers (
        id               INTEGER PRIMARY KEY,
        wa_id            TEXT NOT NULL UNIQUE,      -- the stable WhatsApp id the customer is keyed by
        phone            TEXT,                      -- digits with country code, when known
        name             TEXT,
        name_source      TEXT NOT NULL DEFAULT 'whatsapp' CHECK (name_source IN ('whatsapp', 'flow', 'staff', 'import')),
        tags             TEXT NOT NULL DEFAULT '[]',   -- JSON array
        counters         TEXT NOT NULL DEFAULT '{}',   -- JSON object of numbers
        vars             TEXT NOT NULL DEFAULT '{}',   -- JSON object of saved answers
        opted_out        INTEGER NOT NULL DEFAULT 0,
        first_contact_at INTEGER,                   -- epoch ms of the first message in either direction
        last_contact_at  INTEGER,
        created_at       INTEGER NOT NULL
      );
      CREATE INDEX customers_phone ON customers (phone);
      CREATE INDEX customers_last_contact ON customers (last_contact_at);

      CREATE TABLE conversations (
        customer_id      INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
        flow             TEXT,                      -- the flow waiting for an answer, if any
        step             TEXT,                      -- JSON step path inside that flow
        waiting          TEXT CHECK (waiting IN ('ask', 'menu')),
        retries          INTEGER NOT NULL DEFAULT 0,
        flow_version     TEXT,                      -- hash of the flow when the question was asked
        step_key         TEXT,                      -- identity of the question, to survive rewording
        escalated        INTEGER NOT NULL DEFAULT 0,
        last_activity_at INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL
      );

      CREATE TABLE messages (
        id          INTEGER PRIMARY KEY,
        wa_id       TEXT NOT NULL UNIQUE,           -- WhatsApp message id: the same message is stored once
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        sender      TEXT NOT NULL CHECK (sender IN ('customer', 'bot', 'staff')),
        kind        TEXT NOT NULL DEFAULT 'text',
        text        TEXT NOT NULL DEFAULT '',
        at          INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('received', 'pending', 'sent', 'failed')),
        sent_at     INTEGER,
        error       TEXT
      );
      CREATE INDEX messages_customer ON messages (customer_id, id);
      CREATE INDEX messages_pending ON messages (customer_id, id) WHERE status = 'pending';

      CREATE TABLE escalations (
        id          INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        reason      TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('waiting', 'claimed', 'released')),
        created_at  INTEGER NOT NULL,
        claimed_by  TEXT,
        claimed_at  INTEGER,
        released_at INTEGER
      );
      CREATE INDEX escalations_open ON escalations (customer_id) WHERE status != 'released';
    `,
  },
  {
    version: 2,
    name: 'WhatsApp session: credentials and signal keys',
    sql: `
      CREATE TABLE wa_creds (
        id   INTEGER PRIMARY KEY CHECK (id = 1),  -- one linked account per database
        data TEXT NOT NULL                        -- BufferJSON of Baileys' AuthenticationCreds
      );
      CREATE TABLE wa_keys (
        type  TEXT NOT NULL,                      -- pre-key, session, sender-key, app-state-sync-key, lid-mapping, …
        id    TEXT NOT NULL,
        value TEXT NOT NULL,                      -- BufferJSON
        PRIMARY KEY (type, id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'instance lock and WhatsApp connection status',
    sql: `
      CREATE TABLE instance_lock (
        id           INTEGER PRIMARY KEY CHECK (id = 1),  -- one running bot per database
        pid          INTEGER NOT NULL,
        hostname     TEXT NOT NULL,
        started_at   INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL
      );
      CREATE TABLE wa_status (
        id                 INTEGER PRIMARY KEY CHECK (id = 1),
        connected          INTEGER NOT NULL,
        since              INTEGER,                  -- when the connection opened or closed
        last_disconnect    TEXT,                     -- why it last closed, in plain words
        last_disconnect_at INTEGER
      );
    `,
  },
  {
    version: 4,
    name: 'pause the bot while a person writes from the shop phone',
    sql: `ALTER TABLE conversations ADD COLUMN paused_until INTEGER;`,
  },
  {
    version: 5,
    name: 'check-ins: who wrote when, imports, the planned next check-in, and the sent-log',
    sql: `
      ALTER TABLE customers ADD COLUMN last_inbound_at INTEGER;   -- when the customer last wrote to the shop
      ALTER TABLE customers ADD COLUMN imported_at INTEGER;       -- set by \`setia customers import\`
      ALTER TABLE customers ADD COLUMN checkin_due_at INTEGER;    -- when the next check-in falls due; null: none planned
      UPDATE customers SET last_inbound_at = (SELECT max(at) FROM messages m WHERE m.customer_id = customers.id AND m.direction = 'in');
      CREATE INDEX customers_checkin_due ON customers (checkin_due_at) WHERE checkin_due_at IS NOT NULL;

      CREATE TABLE checkins (
        id          INTEGER PRIMARY KEY,
        job_id      TEXT NOT NULL UNIQUE,           -- customer, rule and cycle: one check-in is sent once, however often it is delivered
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        rule        TEXT NOT NULL,
        flow        TEXT NOT NULL,
        sent_at     INTEGER NOT NULL,
        answered_at INTEGER                         -- the customer's first message after it
      );
      CREATE INDEX checkins_customer ON checkins (customer_id, sent_at);
      CREATE INDEX checkins_unanswered ON checkins (customer_id) WHERE answered_at IS NULL;

      CREATE TABLE checkin_matches (                -- when a customer came to match an \`after\` rule's \`who\`
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        rule        TEXT NOT NULL,
        matched_at  INTEGER NOT NULL,
        PRIMARY KEY (customer_id, rule)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'a question asked in a check-in waits answer_window',
    sql: `ALTER TABLE conversations ADD COLUMN waiting_checkin INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 7,
    name: 'staff: accounts, web sessions, escalation history, notes, notifications to staff phones',
    sql: `
      ALTER TABLE escalations ADD COLUMN first_response_at INTEGER;  -- the first staff message after it opened
      ALTER TABLE escalations ADD COLUMN last_staff_at INTEGER;      -- the latest staff message or claim (auto-release counts from it)
      ALTER TABLE escalations ADD COLUMN released_by TEXT;
      ALTER TABLE messages ADD COLUMN author TEXT;                    -- the staff member who wrote a staff message
      ALTER TABLE checkins ADD COLUMN answer TEXT;                    -- the customer's first reply to it (satisfaction report)

      CREATE TABLE escalation_events (                               -- every state change: who, when
        id            INTEGER PRIMARY KEY,
        escalation_id INTEGER NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
        kind          TEXT NOT NULL,    -- opened, notified, reminded, alerted, claimed, replied, released, auto_released
        actor         TEXT,
        at            INTEGER NOT NULL
      );
      CREATE INDEX escalation_events_escalation ON escalation_events (escalation_id, kind);
      CREATE INDEX escalations_created ON escalations (created_at);

      CREATE TABLE notes (                                           -- staff's private notes on a customer
        id          INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        author      TEXT NOT NULL,
        text        TEXT NOT NULL,
        at          INTEGER NOT NULL
      );
      CREATE INDEX notes_customer ON notes (customer_id, id);

      CREATE TABLE staff_accounts (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role          TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
        password_hash TEXT NOT NULL,    -- scrypt$N$r$p$salt$hash
        created_at    INTEGER NOT NULL
      );

      CREATE TABLE web_sessions (
        token_hash   TEXT PRIMARY KEY,  -- sha256 of the cookie's token: a copy of the database opens no session
        account_id   INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
        csrf_token   TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE staff_notifications (                             -- WhatsApp messages to staff phones: an outbox of their own
        id            INTEGER PRIMARY KEY,
        wa_id         TEXT NOT NULL UNIQUE,
        escalation_id INTEGER REFERENCES escalations (id) ON DELETE CASCADE,
        staff_chat    TEXT NOT NULL,
        text          TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        created_at    INTEGER NOT NULL,
        sent_at       INTEGER,
        error         TEXT
      );
      CREATE INDEX staff_notifications_pending ON staff_notifications (id) WHERE status = 'pending';
    `,
  },
  {
    version: 8,
    name: 'staff requests already handled, so one delivered twice acts once',
    sql: `
      CREATE TABLE staff_requests (
        id         TEXT PRIMARY KEY,            -- the staff member's WhatsApp message id
        handled_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'report: inbound messages and check-ins by time',
    sql: `
      CREATE INDEX messages_inbound_at ON messages (at, customer_id) WHERE direction = 'in';  -- customers who wrote in a period
      CREATE INDEX checkins_sent ON checkins (sent_at);                                      -- check-ins sent in a period
    `,
  },
  {
    version: 10,
    name: 'inbound messages recorded on arrival, answered in their chat\'s turn',
    sql: `
      ALTER TABLE messages ADD COLUMN location TEXT;                          -- JSON of a shared location, for the flows
      ALTER TABLE messages ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;     -- 1: recorded, not yet run through the flows
      CREATE INDEX messages_waiting ON messages (id) WHERE waiting = 1;
    `,
  },
  {
    version: 11,
    name: 'pictures and files in messages',
    sql: `ALTER TABLE messages ADD COLUMN media_path TEXT;  -- a picture or file, relative to the shop's folder (data/photos/x.jpg, data/media/<id>.jpg)`,
  },
  {
    version: 13,
    name: 'audit log of staff account changes',
    sql: `
      CREATE TABLE audit_log (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        actor  TEXT NOT NULL,   -- who did it (staff account name)
        action TEXT NOT NULL,   -- account.add, account.reset, account.remove
        target TEXT NOT NULL    -- the account changed
      );
    `,
  },
  {
    version: 14,
    name: 'search: full-text indexes of message texts (filled off the hot path by the indexer) and customer names',
    sql: `
      -- External content: the words are indexed, the texts stay only in messages. No trigger: the indexer
      -- (src/store/search-indexer.ts) adds rows in batches, so a message costs the pipeline nothing extra.
      CREATE VIRTUAL TABLE message_search USING fts5 (
        text, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      );
      CREATE TABLE search_state (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_through INTEGER NOT NULL   -- every message with an id up to this one is in message_search
      );
      INSERT INTO search_state (id, indexed_through) VALUES (1, 0);

      -- Names change seldom (a new customer, a new WhatsApp name), so triggers keep this one exact: on the
      -- hot path a message costs only the WHEN comparison of an unchanged name (bench/search.ts measures it).
      CREATE VIRTUAL TABLE customer_search USING fts5 (
        name, content = 'customers', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      );
      INSERT INTO customer_search (customer_search) VALUES ('rebuild');
      CREATE TRIGGER customer_search_insert AFTER INSERT ON customers WHEN new.name IS NOT NULL BEGIN
        INSERT INTO customer_search (rowid, name) VALUES (new.id, new.name);
      END;
      CREATE TRIGGER customer_search_rename AFTER UPDATE OF name ON customers WHEN old.name IS NOT new.name BEGIN
        INSERT INTO customer_search (customer_search, rowid, name) SELECT 'delete', old.id, old.name WHERE old.name IS NOT NULL;
        INSERT INTO customer_search (rowid, name) SELECT new.id, new.name WHERE new.name IS NOT NULL;
      END;
      CREATE TRIGGER customer_search_delete AFTER DELETE ON customers WHEN old.name IS NOT NULL BEGIN
        INSERT INTO customer_search (customer_search, rowid, name) VALUES ('delete', old.id, old.name);
      END;
    `,
  },
  {
    version: 15,
    name: "transfers to a named colleague; a customer's earlier escalations by index",
    sql: `
      ALTER TABLE escalation_events ADD COLUMN target TEXT;               -- transferred: the colleague it went to
      CREATE INDEX escalations_customer ON escalations (customer_id, id);  -- the customer panel's earlier escalations
    `,
  },
];
