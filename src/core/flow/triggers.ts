/**
 * Which flow a message starts. Phrases match as customers write them (see src/core/match and docs/flows.md, "How
 * matching works"): whole words anywhere in the message, case, accents, punctuation, stretched letters, chat
 * abbreviations, suffixes and typos forgiven; "=word" or a flow's `exact: true` keeps a phrase to the words as
 * written. "/regex/flags" triggers match the text as written; ":image", ":media", ":location" and the like match
 * the kind of message; ":product" a product the engine found named.
 * The longest match wins, then the stronger way (exact, synonym, suffix, typo), then the flow defined first.
 */
import { beats, bestMatch, isWhole, matchAll, pickBest } from '../match/phrase-index.js';
import { readMessage } from '../match/read-message.js';
import type { Matching, PhraseMatch } from '../match/types.js';
import { canonical } from '../text/normalize.js';
import { compileRegex, isRegexLiteral } from './regex.js';
import { MEDIA_KINDS, type Inbound, type InboundKind, type MatchExplanation, type MatchHow, type Trigger } from './types.js';

export const MESSAGE_KIND_TRIGGERS: Record<string, InboundKind | 'media'> = {
  ':media': 'media',
  ':image': 'image',
  ':video': 'video',
  ':audio': 'audio',
  ':document': 'document',
  ':location': 'location',
};

export const PRODUCT_TRIGGER = ':product';
/** "=promo": this phrase matches only the words as written (no synonyms, suffixes or typos). */
export const EXACT_MARK = '=';

const SURROUNDING_PUNCTUATION = /^[\p{P}\s]+|[\p{P}\s]+$/gu;

/** Compiles one trigger as written; throws SyntaxError for an invalid regular expression. `exact`: the flow's `exact: true`. */
export function compileTrigger(flow: string, source: string, exact = false): Trigger {
  const messageKind = MESSAGE_KIND_TRIGGERS[source.trim().toLowerCase()];
  if (messageKind) return { kind: 'message', flow, messageKind, source };
  if (source.trim().toLowerCase() === PRODUCT_TRIGGER) return { kind: 'product', flow, source };
  if (isRegexLiteral(source)) return { kind: 'regex', flow, regex: compileRegex(source), source };
  const marked = source.trimStart().startsWith(EXACT_MARK);
  const phrase = canonical(marked ? source.trimStart().slice(EXACT_MARK.length) : source);
  return { kind: 'phrase', flow, phrase, source, exact: exact || marked };
}

/** What the products a message names come to, for `:product` (src/core/catalog/match.ts). */
export interface NamedProducts {
  length: number;
  how?: MatchHow;
}

/** A trigger that matched: how long a match, how, and on which of the customer's words. */
interface Candidate {
  trigger: Trigger;
  length: number;
  how: MatchHow;
  words: string;
  /** The trigger's position: ties go to the flow defined first. */
  order: number;
}

/** A regex, message-kind or product trigger's match, or undefined. `whole`: the trigger must be the entire message. */
function matchOther(trigger: Trigger, inbound: Inbound, whole: boolean, named?: NamedProducts): Omit<Candidate, 'trigger' | 'order'> | undefined {
  switch (trigger.kind) {
    case 'message': {
      // A photo is never "exactly" a trigger: as an answer it is judged by the question's `expect`.
      if (whole) return undefined;
      const kindMatches =
        trigger.messageKind === 'media' ? MEDIA_KINDS.has(inbound.kind) : trigger.messageKind === inbound.kind;
      return kindMatches ? { length: 0, how: 'exact', words: '' } : undefined;
    }
    case 'regex': {
      // "Ongkir?" matches /^ongkir$/ just as "harga?" matches the phrase "harga": punctuation around a message is no part of it.
      const text = inbound.text.replace(SURROUNDING_PUNCTUATION, '');
      const found = trigger.regex.exec(text)?.[0];
      if (found === undefined || (whole && found !== text)) return undefined;
      return { length: found.length, how: 'exact', words: found };
    }
    case 'product':
      // The engine matched the catalogue (src/core/catalog/match.ts): the length of the product name named.
      return whole || !named ? undefined : { length: named.length, how: named.how ?? 'exact', words: '' };
    case 'phrase':
      return undefined;
  }
}

/**
 * The phrase trigger that wins. For a whole message (an answer to a question, where a name or an address is
 * often an unknown word near a known one) a typo does not count.
 */
function phraseCandidate(matching: Matching, triggers: Trigger[], inbound: Inbound, whole: boolean): Candidate | undefined {
  if (!matching.triggers.entries.length || !inbound.text) return undefined;
  const message = readMessage(matching.vocabulary, inbound.text);
  const found: PhraseMatch<number> | undefined = whole
    ? pickBest(matchAll(matching.triggers, message).filter((m) => m.how !== 'typo' && isWhole(message, m)))
    : bestMatch(matching.triggers, message);
  if (!found) return undefined;
  return { trigger: triggers[found.value]!, length: found.length, how: found.how, words: found.words, order: found.value };
}

function best(triggers: Trigger[], matching: Matching, inbound: Inbound, whole: boolean, named?: NamedProducts): Candidate | undefined {
  let winner = phraseCandidate(matching, triggers, inbound, whole);
  for (const order of matching.otherTriggers) {
    const trigger = triggers[order]!;
    const found = matchOther(trigger, inbound, whole, named);
    if (found && (!winner || beats({ ...found, order }, winner))) winner = { ...found, trigger, order };
  }
  return winner;
}

export interface TriggerSet {
  triggers: Trigger[];
  matching: Matching;
}

/** The trigger that wins for this message and why (for `/why` and flow tests). `named`: the products the message names, for `:product`. */
export function explainTrigger(flows: TriggerSet, inbound: Inbound, whole = false, named?: NamedProducts): { trigger: Trigger; why: MatchExplanation } | undefined {
  const found = best(flows.triggers, flows.matching, inbound, whole, named);
  if (!found) return undefined;
  const { trigger, how, words } = found;
  return { trigger, why: { kind: 'trigger', source: trigger.source, flow: trigger.flow, how, words } };
}

/** The trigger that wins for this message, if any. `named`: the products the message names, for `:product`. */
export function findTrigger(flows: TriggerSet, inbound: Inbound, whole = false, named?: NamedProducts): Trigger | undefined {
  return best(flows.triggers, flows.matching, inbound, whole, named)?.trigger;
}
