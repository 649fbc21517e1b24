/**
 * The zod schema of flow files: what `setia flows check` validates and what `setia flows schema` turns into a
 * JSON Schema for editors. Its output types are the engine's types (src/core/flow/types.ts).
 */
import { z } from 'zod';
import { DURATION_HINT, parseDuration } from '../core/duration.js';
import { EXPECT_KINDS } from '../core/flow/expect.js';
import { HOURS_KEY_HINT, HOURS_VALUE_HINT, parseDays, parseRanges } from '../core/flow/hours.js';
import { isDataPath } from '../core/flow/media-path.js';
import { compileRegex, isRegexLiteral } from '../core/flow/regex.js';
import { canonical, words } from '../core/text/normalize.js';
import { normalizePhone } from '../core/text/phone.js';
import type { Condition as ConditionType, Step as StepType } from '../core/flow/types.js';
import { didYouMean } from './suggest.js';

/** Names a template reads itself; a saved variable by one of these names could never be read back. */
export const RESERVED_VARS = ['customer', 'settings', 'hours', 'message', 'vars', 'product', 'product_choices', 'catalog'];

/** A string that must be a valid "/pattern/flags" when it looks like one. */
export function checkRegex(value: string, ctx: z.RefinementCtx): void {
  if (!isRegexLiteral(value)) return;
  try {
    compileRegex(value);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    ctx.addIssue({ code: 'custom', message: `invalid regular expression ${value}: ${reason}` });
  }
}

const Regex = z.string().regex(/^\/.+\/[a-z]*$/, 'expected a regular expression such as "/^INV-\\d+$/i"').superRefine(checkRegex);

export const Texts = z
  .union([z.string(), z.array(z.string()).min(1)], { error: 'expected a text, or a list of texts to pick one from at random' })
  .meta({ description: 'A message. {{name}} inserts a value, {{name | text}} gives a fallback. A list: one is picked at random.' });

const FlowName = z
  .string()
  .regex(/^[\p{L}\p{N}_-]+$/u, 'expected a flow name: letters, digits, _ and - only')
  .meta({ description: 'The name of a flow under `flows:`' });

const VarName = z
  .string()
  .regex(/^(customer\.name|[A-Za-z_][\w-]*)$/, 'expected a variable name: a letter or _, then letters, digits, _ or -; or customer.name')
  .refine((name) => !RESERVED_VARS.includes(name), { error: `this name is reserved for templates (${RESERVED_VARS.join(', ')})` });

const Duration = z
  .string({ error: `expected ${DURATION_HINT}` })
  .refine((text) => parseDuration(text) !== undefined, { error: `expected ${DURATION_HINT}` })
  .meta({ description: `Written as ${DURATION_HINT}`, examples: ['30m', '2h', '3d'] });

const Trigger = z
  .string()
  .min(1)
  .superRefine(checkRegex)
  .meta({ description: 'A word or phrase (whole words, any case), "/regex/flags", :product (names a catalogue product), or :media, :image, :location …' });

const Expect = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (isRegexLiteral(value)) return checkRegex(value, ctx);
    if (!(EXPECT_KINDS as readonly string[]).includes(value)) {
      ctx.addIssue({ code: 'custom', message: `unknown expect "${value}"${didYouMean(value, EXPECT_KINDS)}: use ${EXPECT_KINDS.join(', ')} or "/regex/flags"` });
    }
  })
  .meta({ description: `What a valid answer is: ${EXPECT_KINDS.join(', ')}, or "/regex/flags"` });

const Retrying = {
  retry: Texts.optional().meta({ description: 'Sent when the answer does not fit' }),
  max_retries: z.int().min(0).max(50).optional().meta({ description: 'How many times the question is repeated (default 3)' }),
  on_fail: FlowName.optional().meta({ description: 'The flow to run when the retries are used up (default: fallback)' }),
};

/** Checked to exist when the flows load (unless it is a template such as {{product.photo}}). */
const MediaPath = z
  .string()
  .refine((path) => path.includes('{{') || isDataPath(path), { error: 'expected a file under data/, e.g. data/photos/qris.png, or a template such as "{{product.photo}}"' })
  .meta({ description: 'A file under data/ in the shop folder, e.g. data/photos/qris.png; {{product.photo}} works too' });

const TagNames = z.union([z.string().min(1), z.array(z.string().min(1))], { error: 'expected a tag, or a list of tags' });
const CounterNames = z.union([z.string().min(1), z.array(z.string().min(1))], { error: 'expected a counter name, or a list of them' });
const Number = z.number({ error: 'expected a number' });

/** Conditions by their kind key; the order decides which schema reports errors for a mistyped condition. */
export const conditionSchemas = {
  tag: z.strictObject({ tag: z.string().min(1) }),
  var: z.strictObject({
    var: z.string().min(1),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    matches: Regex.optional(),
    gte: Number.optional(),
    lte: Number.optional(),
    exists: z.boolean().optional(),
  }),
  counter: z.strictObject({ counter: z.string().min(1), gte: Number.optional(), lte: Number.optional(), equals: Number.optional() }),
  all: z.strictObject({
    get all(): z.ZodArray<typeof Condition> {
      return z.array(Condition).min(1);
    },
  }),
  any: z.strictObject({
    get any(): z.ZodArray<typeof Condition> {
      return z.array(Condition).min(1);
    },
  }),
  not: z.strictObject({
    get not(): typeof Condition {
      return Condition;
    },
  }),
};

export const Condition: z.ZodType<ConditionType> = z.union(
  [z.enum(['open_now', 'closed_now', 'product_found', 'product_in_stock']), ...Object.values(conditionSchemas)],
  { error: 'expected open_now, closed_now, product_found, product_in_stock, or a condition such as { tag: loyal } or { counter: orders, gte: 3 }' },
);

const StepList = z.array(z.lazy(() => Step));

/** Option names may be numbers (shoe sizes: 39, 40); they are compared as text. */
const OptionName = z.union([z.string().min(1), z.number().transform(String)], { error: 'expected a text' });

const MenuOption = z.strictObject({
  label: OptionName,
  aliases: z.array(OptionName).optional().meta({ description: 'Other words that choose this option' }),
  goto: FlowName.optional(),
  steps: StepList.optional().meta({ description: 'Steps to run when chosen, instead of goto' }),
});

/** Steps by their kind key. Order matters: a step with both `escalate` and `say` is an escalate step. */
export const stepSchemas = {
  escalate: z.strictObject({ escalate: z.string().meta({ description: 'Why staff are needed (shown to staff)' }), say: Texts.optional() }),
  menu: z.strictObject({ menu: Texts, options: z.array(MenuOption).min(1), save: VarName.optional(), ...Retrying }),
  ask: z.strictObject({ ask: Texts, save: VarName.optional(), expect: Expect.optional(), ...Retrying }),
  say: z.strictObject({ say: Texts }),
  image: z.strictObject({ image: MediaPath, caption: Texts.optional().meta({ description: 'Sent with the picture' }) }),
  document: z.strictObject({ document: MediaPath, caption: Texts.optional().meta({ description: 'Sent with the file' }) }),
  goto: z.strictObject({ goto: FlowName }),
  end: z.strictObject({ end: z.literal(true, { error: 'expected end: true' }) }),
  set: z.strictObject({
    set: z.record(VarName, z.union([z.string(), z.number(), z.boolean()], { error: 'expected a text, a number or true/false' })),
  }),
  tag: z.strictObject({ tag: TagNames }),
  untag: z.strictObject({ untag: TagNames }),
  count: z.strictObject({ count: CounterNames }),
  if: z.strictObject({ if: Condition, then: StepList, else: StepList.optional() }),
};

export const Step: z.ZodType<StepType> = z.union([z.literal('end'), ...Object.values(stepSchemas)], {
  error: `expected a step such as "say: …"; steps are ${Object.keys(stepSchemas).join(', ')}`,
});

const Flow = z.strictObject({
  description: z.string().optional(),
  triggers: z.array(Trigger).optional(),
  exact: z.boolean().optional().meta({ description: 'Its phrase triggers match only the words as written: no synonyms, suffixes or typos (one trigger: "=promo")' }),
  steps: StepList.min(1, 'a flow needs at least one step'),
});

const Hours = z
  .record(
    z.string().refine((key) => parseDays(key) !== undefined, { error: `expected ${HOURS_KEY_HINT}` }),
    z.string().refine((value) => parseRanges(value) !== undefined, { error: `expected ${HOURS_VALUE_HINT}` }),
  )
  .meta({ description: 'Opening hours per day, in the shop time zone; days not listed are closed', examples: [{ 'mon-fri': '08:00-17:00', sat: '08:00-12:00' }] });

const Timezone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected a time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura' },
);

const Words = z.array(
  z.string().refine((word) => canonical(word) !== '', { error: 'a word needs letters, digits or an emoji: punctuation alone would match every sticker and photo' }),
);

/** One word customers write → the standard word or words (see lexicon/id-slang.tsv). */
const Synonyms = z.record(
  z.string().refine((word) => words(word).length === 1, { error: 'a synonym is one word, the way customers write it (e.g. cod)' }),
  z.string({ error: 'expected the word or words it means, e.g. "bayar di tempat"' }).refine((phrase) => words(phrase).length > 0, { error: 'expected the word or words it means, e.g. "bayar di tempat"' }),
);

export const Messages = z.strictObject({
  opted_out: Texts.optional(),
  opted_in: Texts.optional(),
  retry: Texts.optional(),
  menu_hint: Texts.optional(),
  escalated: Texts.optional().meta({ description: 'Sent when a flow escalates and has said nothing on that turn, while the shop is open' }),
  escalated_closed: Texts.optional().meta({ description: 'The same, while the shop is closed: say when staff will answer ({{hours.next_open}})' }),
});

const DayKeys = z
  .array(z.string().refine((key) => parseDays(key) !== undefined, { error: `expected ${HOURS_KEY_HINT}` }), { error: 'expected a list of days such as [mon, tue, wed]' })
  .min(1, 'list at least one day');

const SendWindow = z
  .string()
  .refine((value) => Boolean(parseRanges(value)?.length), { error: 'expected shop-local times such as "09:00-19:00" or "09:00-12:00, 14:00-19:00"' });

const CheckinSettings = z.strictObject({
  send_window: SendWindow.optional().meta({ description: 'Shop-local times check-ins may go out (default "09:00-19:00"); outside it they wait' }),
  days: DayKeys.optional().meta({ description: 'Days check-ins may go out (default mon-sat); closed_dates are skipped too' }),
  max_per_minute: z.int({ error: 'expected a whole number' }).min(1).max(60).optional().meta({ description: 'Messages the shop starts per minute, all customers together (default 6)' }),
  min_gap: Duration.optional().meta({ description: 'At most one check-in per customer in this period, all rules together (default 7d)' }),
  answer_window: Duration.optional().meta({ description: "How long a check-in's question waits for the answer (default 3d)" }),
  allow_imported: z.boolean().optional().meta({ description: 'Check in with imported customers who never wrote (default false)' }),
});

const CheckinRule = z
  .strictObject({
    description: z.string().optional(),
    who: Condition.meta({ description: 'Who the rule is for: any condition, e.g. { tag: loyal }' }),
    every: Duration.optional().meta({ description: 'Recurring: this long after the last contact in either direction' }),
    after: Duration.optional().meta({ description: 'Once: this long after the customer came to match `who`' }),
    flow: FlowName.meta({ description: 'The flow that is the check-in conversation' }),
  })
  .superRefine((rule, ctx) => {
    if ((rule.every === undefined) === (rule.after === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a check-in rule needs exactly one of "every: 30d" (recurring) or "after: 3d" (once)' });
    }
  });

const StaffMember = z.strictObject({
  name: z.string().trim().min(1, 'a staff member needs a name'),
  phone: z
    .string({ error: 'expected the phone number as text in quotes, e.g. "6281234567890"' })
    .refine((text) => normalizePhone(text) !== undefined, { error: 'expected a WhatsApp number such as "6281234567890" or "0812-3456-7890"' }),
  owner: z.boolean().optional().meta({ description: 'Also gets the alert when an escalation waits `alert_after` (default false)' }),
});

const EscalationSettings = z.strictObject({
  remind_after: Duration.optional().meta({ description: 'Remind staff of an unanswered escalation after this much open time (default 5m)' }),
  alert_after: Duration.optional().meta({ description: 'Alert the owner after this much open time unanswered (default 30m)' }),
  release_after: Duration.optional().meta({ description: 'A claimed conversation with no staff message for this long returns to the bot (default 12h)' }),
});

export const Settings = z.strictObject({
  shop_name: z.string().optional(),
  timezone: Timezone.optional().meta({ description: 'Default Asia/Jakarta' }),
  language: z.enum(['id', 'en']).optional().meta({ description: 'Language of the staff inbox: id (Bahasa Indonesia, default) or en (English)' }),
  hours: Hours.optional(),
  closed_dates: z.array(z.iso.date('expected a date as YYYY-MM-DD')).optional().meta({ description: 'Holidays: dates the shop is closed' }),
  idle_reset: Duration.optional().meta({ description: 'A conversation idle this long starts over (default 30m)' }),
  opt_out_words: Words.optional(),
  opt_in_words: Words.optional(),
  synonyms: Synonyms.optional().meta({ description: 'Words your customers write and what they mean, for matching triggers, menus and products, e.g. { cod: bayar di tempat }' }),
  messages: Messages.optional().meta({ description: "Replace the bot's built-in texts" }),
  loyal_when: Condition.optional().meta({ description: 'Customers who match get the tag "loyal" automatically, e.g. { counter: orders, gte: 3 }' }),
  checkins: CheckinSettings.optional().meta({ description: 'When and how often the shop may start a conversation' }),
  staff: z.array(StaffMember).optional().meta({ description: "Staff who get escalations on their WhatsApp and answer from there; never treated as customers" }),
  escalation: EscalationSettings.optional().meta({ description: 'Reminders and auto-release of conversations handed to staff' }),
  quick_replies: z
    .record(z.string().regex(/^[a-z0-9_-]{1,30}$/, 'expected a short name: lowercase letters, digits, "_" or "-"'), z.string().min(1))
    .optional()
    .meta({ description: 'Saved answers for staff: typing /name in the inbox sends the text, with templates such as {{customer.name}}' }),
  catalog: z
    .string()
    .refine((path) => /\.csv$/i.test(path) && isDataPath(path), { error: 'expected a .csv file under data/, e.g. data/catalog.csv' })
    .optional()
    .meta({ description: 'The product catalogue, a CSV file under data/ (default data/catalog.csv)' }),
});

/** One file in flows/. Every key is optional so that flows can be split across files. */
export const FlowFile = z.strictObject({
  settings: Settings.optional(),
  start: FlowName.optional().meta({ description: 'The flow for a first message ever that matches no trigger' }),
  fallback: FlowName.optional().meta({ description: 'The flow for a message that matches nothing' }),
  flows: z.record(FlowName, Flow).optional(),
  checkins: z.record(FlowName, CheckinRule).optional().meta({ description: 'Check-in rules: who the shop checks in with, how often, with which flow' }),
});

export type FlowFileData = z.infer<typeof FlowFile>;
export type SettingsData = z.infer<typeof Settings>;
export type CheckinRuleData = z.infer<typeof CheckinRule>;
