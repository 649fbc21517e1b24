/**
 * The flow language as the engine sees it. These types mirror what owners write in YAML (see docs/flows.md);
 * the loader in src/flows validates files against a zod schema that produces exactly these shapes.
 * Nothing here does I/O.
 */
import type { Catalog } from '../catalog/types.js';
import type { Checkins } from '../checkin/types.js';
import type { Matching } from '../match/types.js';

/** One text, or a list of variants of which one is picked at random. Every text is a template. */
export type Texts = string | string[];

export type Condition =
  | 'open_now'
  | 'closed_now'
  | 'product_found'
  | 'product_in_stock'
  | { tag: string }
  | { var: string; equals?: string | number | boolean; matches?: string; gte?: number; lte?: number; exists?: boolean }
  | { counter: string; gte?: number; lte?: number; equals?: number }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export type ExpectKind = 'text' | 'number' | 'email' | 'phone' | 'date' | 'media' | 'image' | 'location' | 'product';

/** Fields shared by the steps that wait for an answer. */
export interface Retrying {
  retry?: Texts;
  max_retries?: number;
  on_fail?: string;
}

export interface MenuOption {
  label: string;
  aliases?: string[];
  goto?: string;
  steps?: Step[];
}

export type Step =
  | 'end'
  | { say: Texts }
  | ({ menu: Texts; options: MenuOption[]; save?: string } & Retrying)
  | ({ ask: Texts; save?: string; expect?: ExpectKind | string } & Retrying)
  | { goto: string }
  | { end: true }
  | { set: Record<string, string | number | boolean> }
  | { tag: string | string[] }
  | { untag: string | string[] }
  | { count: string | string[] }
  | { escalate: string; say?: Texts }
  | { image: string; caption?: Texts }
  | { document: string; caption?: Texts }
  | { if: Condition; then: Step[]; else?: Step[] };

/** Weekly opening hours: for each weekday (0 = Sunday) a list of [openMinute, closeMinute) ranges. */
export interface WeeklyHours {
  days: Array<Array<[number, number]>>;
  closedDates: Set<string>;
}

/** Built-in texts the bot sends outside any flow; owners may override each in `settings.messages`. */
export interface BotMessages {
  opted_out: Texts;
  opted_in: Texts;
  retry: Texts;
  menu_hint: Texts;
  /** Sent on escalation when the flow said nothing on that turn (open and closed hours). */
  escalated: Texts;
  escalated_closed: Texts;
}

/** A staff member who gets escalations on WhatsApp (`settings.staff`). */
export interface StaffMember {
  name: string;
  /** Digits with country code. */
  phone: string;
  owner: boolean;
}

/** Reminders and auto-release of escalated conversations (`settings.escalation`). */
export interface EscalationSettings {
  /** Unanswered this long, counted in open hours: staff are reminded. */
  remindAfterMs: number;
  /** Unanswered this long, counted in open hours: the owner is alerted. */
  alertAfterMs: number;
  /** Claimed with no staff message this long: the conversation returns to the bot. */
  releaseAfterMs: number;
}

export interface Settings {
  shopName: string;
  timezone: string;
  /** The staff inbox's language (settings.language). */
  language: 'id' | 'en';
  hours: WeeklyHours | null;
  idleResetMs: number;
  optOutWords: Set<string>;
  optInWords: Set<string>;
  messages: BotMessages;
  /** Customers matching this get the tag "loyal" (settings.loyal_when). */
  loyalWhen: Condition | null;
  staff: StaffMember[];
  escalation: EscalationSettings;
  /** Staff's saved answers by name (settings.quick_replies), templates filled for the customer when sent. */
  quickReplies: Record<string, string>;
  /** The settings as written, readable from templates as {{settings.*}}. */
  raw: Record<string, unknown>;
}

/** A compiled trigger: a whole-word phrase (canonical form) or a regular expression, or a message kind. */
export type Trigger =
  /** `exact`: only the words as written match ("=promo", or the flow's `exact: true`); else matching is loose. */
  | { kind: 'phrase'; flow: string; phrase: string; source: string; exact: boolean }
  | { kind: 'regex'; flow: string; regex: RegExp; source: string }
  | { kind: 'message'; flow: string; messageKind: InboundKind | 'media'; source: string }
  /** `:product`: the message names a product of the catalogue. */
  | { kind: 'product'; flow: string; source: string };

export interface Flow {
  name: string;
  steps: Step[];
  /** Hash of the flow's definition: stored with a waiting conversation to notice edits. */
  version: string;
}

export interface FlowSet {
  settings: Settings;
  start?: string;
  fallback?: string;
  flows: Map<string, Flow>;
  /** Every trigger in definition order (files in name order, flows in file order). */
  triggers: Trigger[];
  checkins: Checkins;
  /** The shop's products (settings.catalog); empty when the shop has none. */
  catalog: Catalog;
  /** Loose matching of what customers write: the vocabulary and the phrase triggers' index (src/core/match). */
  matching: Matching;
}

/** What a message is, beyond its text. Media arrive as their kind with the caption as text. */
export type InboundKind = 'text' | 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'location' | 'other';

export const MEDIA_KINDS: ReadonlySet<InboundKind> = new Set(['image', 'video', 'audio', 'document']);

/** Recorded for staff, never answered: a sticker or a reaction is no question, and a reply would feel like spam. */
export const UNANSWERED_KINDS: ReadonlySet<InboundKind> = new Set(['sticker', 'other']);

export interface Inbound {
  kind: InboundKind;
  /** The text, or the caption of a media message, or the name of a location; '' when there is none. */
  text: string;
  location?: { latitude: number; longitude: number; name?: string };
}

/** The customer as flows see and change them. */
export interface Customer {
  id: string;
  name: string | null;
  phone: string | null;
  tags: string[];
  counters: Record<string, number>;
  vars: Record<string, string>;
  optedOut: boolean;
}

/**
 * A position inside a flow: alternating indices into step lists and the branch taken at each nesting level,
 * e.g. [2, 'then', 0] or [1, 'option:0', 3]. Branches are 'then', 'else' and 'option:<n>' (a menu option's steps).
 */
export type StepPath = Array<number | string>;

export interface Waiting {
  kind: 'ask' | 'menu';
  flow: string;
  path: StepPath;
  /** The flow's version when the question was asked. */
  flowVersion: string;
  /** What the waiting step looked like, to tell whether an edited flow still has the same question there. */
  stepKey: string;
  retries: number;
  /** Asked in a conversation a check-in started: it waits `answer_window`, not `idle_reset`. */
  checkin?: boolean;
}

/** One customer's conversation with the bot, as stored between messages. */
export interface Conversation {
  waiting: Waiting | null;
  escalated: boolean;
  /** Until when the bot stays quiet because a person wrote from the shop's own phone (epoch ms), or null. */
  pausedUntil: number | null;
  /** When the customer or the bot last spoke in this conversation (epoch ms). */
  lastActivityAt: number;
}

/** A picture or file a step sends, by its path as the owner wrote it (relative to the shop's folder, e.g. data/photos/x.jpg). */
export interface OutgoingMedia {
  kind: 'image' | 'document';
  path: string;
}

/** `media`: the text is its caption (possibly empty). */
export type Action = { type: 'send'; text: string; media?: OutgoingMedia } | { type: 'escalate'; reason: string };

export interface StepInput {
  flows: FlowSet;
  customer: Customer;
  /** null when the customer has never talked to the bot: their first message ever. */
  conversation: Conversation | null;
  inbound: Inbound;
  /** Epoch milliseconds. */
  now: number;
  /** Source of randomness for text variants, in [0, 1). */
  random: () => number;
}

/** How a customer's words matched what the owner wrote: as written, through the lexicon, without an affix, or despite a typo. */
export type MatchHow = 'exact' | 'synonym' | 'suffix' | 'typo';

/** Why a message did what it did, for `/why` in `setia chat`. */
export interface MatchExplanation {
  kind: 'trigger' | 'option' | 'product';
  /** What the owner wrote: the trigger, the option's label or alias, or the product's name or alias. */
  source: string;
  /** The flow it started, for triggers. */
  flow?: string;
  how: MatchHow;
  /** The customer's words that matched. */
  words: string;
}

export interface StepResult {
  customer: Customer;
  conversation: Conversation;
  actions: Action[];
  /** The flows this message started, in order (goto included): flow tests assert them. */
  started: string[];
  /** What the message matched, when it matched a trigger, a menu option or a product. */
  why: MatchExplanation | null;
}
