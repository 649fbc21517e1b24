/** The conversation-test file format (flows/tests/*.test.yaml), validated like flow files. See docs/flows.md. */
import { z } from 'zod';
import { DURATION_HINT, parseDuration } from '../core/duration.js';
import { checkRegex } from '../flows/schema.js';

const BotExpectations = z
  .array(z.string().superRefine(checkRegex), { error: 'expected a list of texts: one per bot message, each a part of it or "/regex/flags"' })
  .meta({ description: 'One entry per bot message, in order: a case-insensitive part of it, or "/regex/flags". [] means no message.' });

/** An ISO date-time with an offset; seconds optional. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const DateTime = z
  .string()
  .refine((text) => DATE_TIME.test(text) && !Number.isNaN(Date.parse(text)), { error: 'expected a date and time with its offset, such as "2026-11-23T10:00:00+07:00"' });

/** What may be checked after any turn. */
const Assertions = {
  bot: BotExpectations.optional(),
  escalated: z.boolean().optional(),
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  tags: z.array(z.string()).optional().meta({ description: 'Tags the customer must have' }),
  counters: z.record(z.string(), z.number()).optional(),
  opted_out: z.boolean().optional(),
  flow: z.string().optional().meta({ description: 'The flow this turn starts (by a trigger, a product, start or fallback)' }),
};

const Location = z.strictObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional() });

export const turnSchemas = {
  customer: z.strictObject({
    customer: z.string().meta({ description: 'What the customer writes (the caption, for media)' }),
    kind: z.enum(['text', 'image', 'video', 'audio', 'document', 'sticker', 'location']).optional(),
    location: Location.optional(),
    ...Assertions,
  }),
  staff: z.strictObject({ staff: z.string().meta({ description: 'A staff message to the customer' }), ...Assertions }),
  staff_action: z.strictObject({
    staff_action: z.enum(['release']),
    message: z.string().optional().meta({ description: 'A closing message sent with the release' }),
    ...Assertions,
  }),
  wait: z.strictObject({
    wait: z.string().refine((text) => parseDuration(text) !== undefined, { error: `expected ${DURATION_HINT}` }),
    ...Assertions,
  }),
};

export const Turn = z.union(Object.values(turnSchemas), { error: `expected a turn: ${Object.keys(turnSchemas).join(', ')}` });

export const TestFile = z.strictObject({
  name: z.string().min(1),
  flows: z.string().optional().meta({ description: 'The flows directory, relative to this file' }),
  customer: z
    .strictObject({
      name: z.string().optional(),
      phone: z.string().regex(/^\d{8,15}$/, 'expected digits with country code, e.g. 6281234567890').optional(),
      tags: z.array(z.string()).optional(),
      counters: z.record(z.string(), z.number()).optional(),
      vars: z.record(z.string(), z.string()).optional(),
      last_contact: z
        .union([DateTime, z.string().refine((text) => parseDuration(text) !== undefined)], {
          error: `expected how long ago (${DURATION_HINT}) or a date and time such as "2026-10-01T10:00:00+07:00"`,
        })
        .optional()
        .meta({ description: 'When the customer and the shop last wrote: how long before `now` (e.g. 29d), or a date and time. Default: now' }),
    })
    .optional(),
  now: DateTime.optional(),
  conversation: z.array(Turn).min(1),
});

export type TestFileData = z.infer<typeof TestFile>;
export type TurnData = z.infer<typeof Turn>;
