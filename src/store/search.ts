/**
 * Search for the staff inbox: customers by name or phone, messages by the words in them, newest first.
 *
 * Messages are found through message_search (FTS5, migration 14), which the indexer (search-indexer.ts) fills in
 * batches off the hot path; the newest rows it has not reached yet are read and matched here, so a message that
 * has just arrived is found too. Names are in customer_search, kept exact by triggers (migration 14). What staff
 * type is only ever data: every word is quoted for FTS5, and LIKE is not used on it at all.
 */
import type { Db } from './database.js';
import type { Sender } from './messages.js';

/** A piece of a text as shown: `hit` where it matched what was searched. */
export interface Segment {
  text: string;
  hit: boolean;
}

export interface CustomerHit {
  customerId: number;
  name: Segment[];
  phone: Segment[];
  lastAt: number | null;
}

export interface MessageHit {
  messageId: number;
  customerId: number;
  name: string | null;
  phone: string | null;
  sender: Sender;
  author: string | null;
  at: number;
  snippet: Segment[];
}

export interface SearchResults {
  customers: CustomerHit[];
  moreCustomers: boolean;
  messages: MessageHit[];
  moreMessages: boolean;
  /** Older messages not indexed yet and too many to read now: they may be missing until the indexer catches up. */
  behind: number;
}

const SEARCH_LIMIT = 50;
/** The newest not-yet-indexed messages read per search; normally the indexer is only a second behind. */
const TAIL_WINDOW = 2_000;
const MAX_QUERY = 200;
const MAX_WORDS = 8;
/** Shorter last words are searched whole: a one-letter prefix would match nearly every message. */
const MIN_PREFIX = 2;
const SNIPPET_CHARS = 160;
const SNIPPET_LEAD = 50;
/** Customers whose name matches, read to be sorted by their last contact. */
const NAME_CANDIDATES = 5_000;

/** unicode61's token characters (its default categories L*, N*, Co). */
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const ENDS_IN_TOKEN = /[\p{L}\p{N}\p{Co}]$/u;

/** A word as the index holds it: lower case, diacritics removed (remove_diacritics 2). */
function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

interface Terms {
  words: string[];
  /** The last word is still being typed: it matches the words it begins. */
  prefix: boolean;
}

function termsOf(query: string): Terms {
  const words = [...query.matchAll(TOKEN)].map((match) => fold(match[0])).slice(0, MAX_WORDS);
  const last = words.at(-1) ?? '';
  return { words, prefix: last.length >= MIN_PREFIX && ENDS_IN_TOKEN.test(query) };
}

/** An FTS5 query in which every word is a quoted string, so nothing staff type is read as FTS5 syntax. */
function matchExpression({ words, prefix }: Terms): string {
  return words.map((word, i) => `"${word.replaceAll('"', '""')}"${prefix && i === words.length - 1 ? '*' : ''}`).join(' AND ');
}

/** Which term a folded word of a text matches (its index; -1: none): exactly, or as the start of the word being typed. */
function matcher({ words, prefix }: Terms): (word: string) => number {
  const last = words.length - 1;
  return (word) => words.findIndex((term, i) => word === term || (prefix && i === last && word.startsWith(term)));
}

/** Every term matched by some word of `text`: what FTS5's AND asks, for rows not indexed yet. */
function matchesAll(text: string, terms: Terms): boolean {
  const which = matcher(terms);
  const found = new Set<number>();
  for (const match of text.matchAll(TOKEN)) found.add(which(fold(match[0])));
  return terms.words.every((_, i) => found.has(i));
}

/** A text cut to a window around its first hit, split into segments with the matching words marked. */
function snippet(text: string, terms: Terms): Segment[] {
  const line = text.replace(/\s+/g, ' ').trim();
  const which = matcher(terms);
  const tokens = [...line.matchAll(TOKEN)];
  const first = tokens.find((match) => which(fold(match[0])) >= 0)?.index ?? 0;
  let start = line.length <= SNIPPET_CHARS ? 0 : Math.max(0, first - SNIPPET_LEAD);
  if (start > 0) start = line.lastIndexOf(' ', start) + 1;
  const end = Math.min(line.length, start + SNIPPET_CHARS);
  const segments: Segment[] = start > 0 ? [{ text: '…', hit: false }] : [];
  let at = start;
  for (const match of tokens) {
    if (match.index < start || match.index + match[0].length > end || which(fold(match[0])) < 0) continue;
    if (match.index > at) segments.push({ text: line.slice(at, match.index), hit: false });
    segments.push({ text: match[0], hit: true });
    at = match.index + match[0].length;
  }
  if (at < end) segments.push({ text: line.slice(at, end), hit: false });
  if (end < line.length) segments.push({ text: '…', hit: false });
  return segments;
}

function plain(text: string | null): Segment[] {
  return text ? [{ text, hit: false }] : [];
}

/** `digits` marked where they first occur in a phone number. */
function marked(phone: string, digits: string): Segment[] {
  const at = phone.indexOf(digits);
  if (at < 0) return plain(phone);
  const parts = [{ text: phone.slice(0, at), hit: false }, { text: digits, hit: true }, { text: phone.slice(at + digits.length), hit: false }];
  return parts.filter((part) => part.text);
}

/**
 * The digits of a phone number as typed, in the stored form (country code first): "0812…", "+62 812-…" and
 * "62812…" all become "62812…"; other digits ("3456") are kept to be found anywhere in a number.
 */
function phoneDigits(query: string): string | undefined {
  if (!/^\+?[\d\s\-.()]+$/.test(query)) return undefined;
  let digits = query.replace(/\D/g, '');
  if (digits.length < 3) return undefined;
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = `62${digits.slice(1)}`;
  return digits.startsWith('620') ? `62${digits.slice(3)}` : digits;
}

interface CustomerRow {
  customerId: number;
  name: string | null;
  phone: string | null;
  lastAt: number | null;
}

type MessageRow = Omit<MessageHit, 'snippet'> & { text: string };

const CUSTOMER = `SELECT id AS customerId, name, phone, last_contact_at AS lastAt FROM customers`;
const MESSAGE = `SELECT m.id AS messageId, m.customer_id AS customerId, c.name, c.phone, m.sender, m.author, m.text, m.at
  FROM messages m JOIN customers c ON c.id = m.customer_id`;

export class SearchStore {
  private readonly position;
  private readonly batchEnd;
  private readonly fill;
  private readonly advance;
  private readonly newest;
  private readonly byPhonePrefix;
  private readonly byPhonePart;
  private readonly byName;
  private readonly indexed;
  private readonly tail;
  private readonly inTransaction;

  constructor(db: Db) {
    this.position = db.prepare<[], { through: number }>('SELECT indexed_through AS through FROM search_state WHERE id = 1');
    this.batchEnd = db.prepare<{ from: number; limit: number }, { to: number | null; count: number }>(
      'SELECT max(id) AS "to", count(*) AS count FROM (SELECT id FROM messages WHERE id > @from ORDER BY id LIMIT @limit)',
    );
    this.fill = db.prepare(`INSERT INTO message_search (rowid, text) SELECT id, text FROM messages WHERE id > @from AND id <= @to AND text != ''`);
    this.advance = db.prepare('UPDATE search_state SET indexed_through = ? WHERE id = 1');
    this.newest = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM messages');
    // Ranges on the phone index ("62812" to "62812:", ':' sorts right after '9'); a part of a number is looked for anywhere.
    this.byPhonePrefix = db.prepare<{ digits: string; limit: number }, CustomerRow>(
      `${CUSTOMER} WHERE phone >= @digits AND phone < @digits || ':' ORDER BY last_contact_at DESC LIMIT @limit`,
    );
    this.byPhonePart = db.prepare<{ digits: string; limit: number }, CustomerRow>(
      `${CUSTOMER} WHERE id IN (SELECT id FROM customers INDEXED BY customers_phone WHERE instr(phone, @digits) > 0)
       ORDER BY last_contact_at DESC LIMIT @limit`, // the phone index is a quarter of the table to read (7 ms for 100k, not 27)
    );
    // The most recently in touch among the newest customers matched: a name shared by thousands stays cheap to sort.
    this.byName = db.prepare<{ match: string; limit: number }, CustomerRow>(
      `${CUSTOMER} WHERE id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH @match ORDER BY rowid DESC LIMIT ${NAME_CANDIDATES})
       ORDER BY last_contact_at DESC LIMIT @limit`,
    );
    this.indexed = db.prepare<{ match: string; limit: number }, MessageRow>(
      `${MESSAGE} JOIN (SELECT rowid AS id FROM message_search WHERE message_search MATCH @match ORDER BY rowid DESC LIMIT @limit) hit ON hit.id = m.id
       ORDER BY m.id DESC`,
    );
    this.tail = db.prepare<{ through: number; window: number }, MessageRow>(
      `${MESSAGE} WHERE m.id > @through AND m.text != '' ORDER BY m.id DESC LIMIT @window`,
    );
    this.inTransaction = db.transaction((limit: number) => this.indexBatchNow(limit));
  }

  /** Indexes up to `limit` messages after the last indexed one, in one transaction; the number of messages covered. */
  indexBatch(limit: number): number {
    return this.inTransaction(limit);
  }

  /** How many messages the index has not reached yet. */
  backlog(): number {
    return Math.max(0, (this.newest.get()?.id ?? 0) - this.position.get()!.through);
  }

  search(query: string, limit: number = SEARCH_LIMIT): SearchResults {
    const typed = query.replace(/\s+/g, ' ').slice(0, MAX_QUERY);
    const terms = termsOf(typed);
    const customers = this.customers(typed.trim(), terms, limit + 1);
    const { rows, behind } = terms.words.length ? this.messages(terms, limit + 1) : { rows: [], behind: 0 };
    return {
      customers: customers.slice(0, limit),
      moreCustomers: customers.length > limit,
      messages: rows.slice(0, limit).map(({ text, ...row }) => ({ ...row, snippet: snippet(text, terms) })),
      moreMessages: rows.length > limit,
      behind,
    };
  }

  private indexBatchNow(limit: number): number {
    const from = this.position.get()!.through;
    const { to, count } = this.batchEnd.get({ from, limit })!;
    if (to === null) return 0;
    this.fill.run({ from, to });
    this.advance.run(to);
    return count;
  }

  private customers(typed: string, terms: Terms, limit: number): CustomerHit[] {
    const digits = phoneDigits(typed);
    if (digits) {
      const rows = digits.startsWith('62') ? this.byPhonePrefix.all({ digits, limit }) : this.byPhonePart.all({ digits, limit });
      return rows.map((row) => ({ ...row, name: plain(row.name), phone: marked(row.phone ?? '', digits) }));
    }
    if (!terms.words.length) return [];
    return this.byName.all({ match: matchExpression(terms), limit }).map((row) => ({ ...row, name: snippet(row.name ?? '', terms), phone: plain(row.phone) }));
  }

  /** The newest matches: among the messages not indexed yet first, then through the index. */
  private messages(terms: Terms, limit: number): { rows: MessageRow[]; behind: number } {
    const through = this.position.get()!.through;
    const fresh = this.tail.all({ through, window: TAIL_WINDOW }).filter((row) => matchesAll(row.text, terms));
    const rows = fresh.length >= limit ? fresh : [...fresh, ...this.indexed.all({ match: matchExpression(terms), limit: limit - fresh.length })];
    return { rows, behind: Math.max(0, (this.newest.get()?.id ?? 0) - through - TAIL_WINDOW) };
  }
}
