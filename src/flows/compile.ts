/**
 * Merges validated flow files into one FlowSet and checks what spans files: that every flow named by
 * start, fallback, goto, on_fail and menu options exists, that no flow or setting is defined twice,
 * duplicate triggers, flows nothing can reach, and steps that can never run.
 */
import { createHash } from 'node:crypto';
import { parseDuration } from '../core/duration.js';
import { buildWeeklyHours, parseDays, parseRanges } from '../core/flow/hours.js';
import { placeholders } from '../core/flow/template.js';
import { compileTrigger } from '../core/flow/triggers.js';
import { EMPTY_CATALOG } from '../core/catalog/types.js';
import type { CheckinRule, Checkins } from '../core/checkin/types.js';
import type { Vocabulary } from '../core/match/types.js';
import type { Flow, FlowSet, MenuOption, Settings, Step, Trigger, WeeklyHours } from '../core/flow/types.js';
import { canonical } from '../core/text/normalize.js';
import { normalizePhone } from '../core/text/phone.js';
import type { FlowError } from '../errors.js';
import { DEFAULT_CHECKINS, DEFAULT_ESCALATION, DEFAULT_IDLE_RESET, DEFAULT_MESSAGES, DEFAULT_OPT_IN_WORDS, DEFAULT_OPT_OUT_WORDS, DEFAULT_TIMEZONE } from './defaults.js';
import type { CheckinRuleData, FlowFileData, SettingsData } from './schema.js';
import type { YamlPath, YamlSource } from './source.js';
import { buildMatching, looseKey, shopVocabulary } from './matching.js';
import { didYouMean } from './suggest.js';
import { unknownTemplateName } from './template-names.js';

export interface ParsedFile {
  source: YamlSource;
  data: FlowFileData;
}

interface FlowOrigin {
  flow: Flow;
  source: YamlSource;
  triggers: string[];
  /** `exact: true`: the flow's phrase triggers match only as written. */
  exact: boolean;
}

/** A text owners wrote, with where they wrote it. */
interface WrittenText {
  text: string;
  source: YamlSource;
  path: YamlPath;
  /** Names only this text can read, such as {{options}} in a menu's retry. */
  extra: string[];
}

/** A reference to a flow by name, and where it was written. */
interface FlowReference {
  target: string;
  source: YamlSource;
  path: YamlPath;
}

const UNCLOSED_TEMPLATE = /\{\{(?![^{}]*\}\})/;

function hash(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

class Compiler {
  readonly problems: FlowError[] = [];
  private readonly flows = new Map<string, FlowOrigin>();
  private readonly checkinRules = new Map<string, { rule: CheckinRule; source: YamlSource }>();
  private readonly references: FlowReference[] = [];
  private readonly texts: WrittenText[] = [];
  private readonly savedVars = new Set<string>();
  /** Pictures and files steps send, checked to exist (`target` is the path as written). */
  private readonly mediaFiles: FlowReference[] = [];

  constructor(private readonly fileExists: (path: string) => boolean) {}
  private settings: { data: SettingsData; source: YamlSource } | undefined;
  private start: FlowReference | undefined;
  private fallback: FlowReference | undefined;

  private firstSource: YamlSource | undefined;

  add({ source, data }: ParsedFile): void {
    this.firstSource ??= source;
    if (data.settings) this.addSettings(data.settings, source);
    if (data.start !== undefined) this.start = this.single('start', this.start, { target: data.start, source, path: ['start'] });
    if (data.fallback !== undefined) this.fallback = this.single('fallback', this.fallback, { target: data.fallback, source, path: ['fallback'] });
    for (const [name, flow] of Object.entries(data.flows ?? {})) this.addFlow(name, flow, source);
    for (const [name, rule] of Object.entries(data.checkins ?? {})) this.addCheckinRule(name, rule, source);
  }

  private addCheckinRule(name: string, data: CheckinRuleData, source: YamlSource): void {
    const previous = this.checkinRules.get(name);
    if (previous) {
      this.problems.push(source.problem(['checkins', name], `check-in rule "${name}" is already defined in ${previous.source.file}`, { key: true }));
      return;
    }
    const rule: CheckinRule = { name, who: data.who, flow: data.flow, everyMs: optionalDuration(data.every), afterMs: optionalDuration(data.after) };
    this.checkinRules.set(name, { rule, source });
    this.references.push({ target: data.flow, source, path: ['checkins', name, 'flow'] });
  }

  private single(key: string, existing: FlowReference | undefined, next: FlowReference): FlowReference {
    if (existing) this.problems.push(next.source.problem(next.path, `"${key}" is already set in ${existing.source.file}`, { key: true }));
    this.references.push(next);
    return existing ?? next;
  }

  private addSettings(data: SettingsData, source: YamlSource): void {
    if (this.settings) {
      this.problems.push(source.problem(['settings'], `settings are already given in ${this.settings.source.file}; keep them in one file`, { key: true }));
      return;
    }
    this.settings = { data, source };
  }

  private addFlow(name: string, data: { triggers?: string[]; exact?: boolean; steps: Step[] }, source: YamlSource): void {
    const previous = this.flows.get(name);
    if (previous) {
      this.problems.push(source.problem(['flows', name], `flow "${name}" is already defined in ${previous.source.file}`, { key: true }));
      return;
    }
    this.flows.set(name, { flow: { name, steps: data.steps, version: hash(data) }, source, triggers: data.triggers ?? [], exact: data.exact ?? false });
    this.walkSteps(data.steps, source, ['flows', name, 'steps']);
  }

  /** Collects flow references and warns about steps after a step that always ends the turn. */
  private walkSteps(steps: Step[], source: YamlSource, path: YamlPath): void {
    steps.forEach((step, index) => {
      const here = [...path, index];
      const previous = steps[index - 1];
      if (previous !== undefined && endsTheFlow(previous)) {
        this.problems.push(source.problem(here, 'this step never runs: the step before it always ends the flow', { severity: 'warning' }));
      }
      if (typeof step === 'string') return;
      this.collectTexts(step, source, here);
      if ('goto' in step) this.references.push({ target: step.goto, source, path: [...here, 'goto'] });
      if (('ask' in step || 'menu' in step) && step.on_fail !== undefined) this.references.push({ target: step.on_fail, source, path: [...here, 'on_fail'] });
      if ('menu' in step) step.options.forEach((option, i) => this.walkOption(option, source, [...here, 'options', i]));
      if ('if' in step) {
        this.walkSteps(step.then, source, [...here, 'then']);
        if (step.else) this.walkSteps(step.else, source, [...here, 'else']);
      }
    });
  }

  private walkOption(option: MenuOption, source: YamlSource, path: YamlPath): void {
    if (option.goto !== undefined && option.steps !== undefined) {
      this.problems.push(source.problem([...path, 'steps'], 'an option has either goto or steps, not both', { key: true }));
    }
    if (option.goto !== undefined) this.references.push({ target: option.goto, source, path: [...path, 'goto'] });
    if (option.steps) this.walkSteps(option.steps, source, [...path, 'steps']);
  }

  /** Collects the step's templates, and the variables it saves. */
  private collectTexts(step: Exclude<Step, string>, source: YamlSource, path: YamlPath): void {
    if (('ask' in step || 'menu' in step) && step.save) this.savedVars.add(step.save);
    if ('set' in step) Object.keys(step.set).forEach((name) => this.savedVars.add(name));
    const written: Array<[string, unknown]> = ['say', 'ask', 'menu', 'retry', 'escalate', 'image', 'document', 'caption'].map((key) => [key, (step as Record<string, unknown>)[key]]);
    if ('image' in step || 'document' in step) this.mediaFiles.push({ target: 'image' in step ? step.image : step.document, source, path: [...path, 'image' in step ? 'image' : 'document'] });
    if ('set' in step) written.push(...Object.entries(step.set).map(([name, value]): [string, unknown] => [`set.${name}`, value]));
    for (const [key, texts] of written) {
      const at = key.startsWith('set.') ? [...path, 'set', key.slice(4)] : [...path, key];
      const extra = key === 'retry' && 'menu' in step ? ['options'] : [];
      if (typeof texts === 'string') this.texts.push({ text: texts, source, path: at, extra });
      if (Array.isArray(texts)) texts.forEach((text: string, i) => this.texts.push({ text, source, path: [...at, i], extra }));
    }
  }

  private checkTemplates(): void {
    for (const { text, source, path, extra } of this.texts) {
      if (UNCLOSED_TEMPLATE.test(text)) {
        this.problems.push(source.problem(path, '"{{" without a closing "}}": write {{name}} to insert a value'));
        continue;
      }
      for (const name of placeholders(text)) {
        const warning = extra.includes(name) ? undefined : unknownTemplateName(name, this.savedVars);
        if (warning) this.problems.push(source.problem(path, warning, { severity: 'warning' }));
      }
    }
  }

  /** Compiles the triggers; warns when two flows' triggers read the same once folded (see looseKey). */
  private compileTriggers(settings: Settings, vocabulary: Vocabulary): Trigger[] {
    const optWords = new Set([...settings.optOutWords, ...settings.optInWords]);
    const triggers: Trigger[] = [];
    const seen = new Map<string, { flow: string; text: string }>();
    for (const [name, { source, triggers: written, exact }] of this.flows) {
      written.forEach((text, i) => {
        const trigger = compileTrigger(name, text, exact);
        const path = ['flows', name, 'triggers', i];
        if (trigger.kind === 'phrase' && !trigger.phrase) {
          this.problems.push(source.problem(path, `trigger "${text}" has no letters or digits, so it can never match`));
          return;
        }
        const key = trigger.kind !== 'phrase' ? trigger.source : trigger.exact ? `=${trigger.phrase}` : looseKey(vocabulary, trigger.phrase);
        const owner = seen.get(key);
        if (owner !== undefined && owner.flow !== name) {
          const problem = canonical(owner.text) === canonical(text)
            ? `trigger "${text}" is also a trigger of flow "${owner.flow}", which wins because it comes first`
            : `trigger "${text}" reads the same as "${owner.text}" of flow "${owner.flow}" once folded ("${key}"): customers writing either may get either flow`;
          this.problems.push(source.problem(path, problem, { severity: 'warning' }));
        }
        if (trigger.kind === 'phrase' && optWords.has(trigger.phrase)) {
          this.problems.push(source.problem(path, `trigger "${text}" is also an opt-out or opt-in word, so a message of just that word never starts this flow`, { severity: 'warning' }));
        }
        if (owner === undefined) seen.set(key, { flow: name, text });
        triggers.push(trigger);
      });
    }
    return triggers;
  }

  /** A picture that is not there would reach the customer as a bare caption: say so before it is live. */
  private checkMediaFiles(): void {
    for (const { target, source, path } of this.mediaFiles) {
      if (!target.includes('{{') && !this.fileExists(target)) this.problems.push(source.problem(path, `no file ${target} in the shop folder: put it there or fix the path`));
    }
  }

  private checkReferences(): void {
    for (const { target, source, path } of this.references) {
      if (!this.flows.has(target)) {
        this.problems.push(source.problem(path, `no flow named "${target}"${didYouMean(target, this.flows.keys())}`));
      }
    }
  }

  /** The flow a flow always goes on to, without waiting or a condition on the way (its first top-level goto). */
  private unconditionalGoto(flow: Flow): { target: string; index: number } | undefined {
    for (const [index, step] of flow.steps.entries()) {
      // Waiting, ending, or a condition (which may end the loop): not a certain loop.
      if (typeof step === 'string' || 'end' in step || 'ask' in step || 'menu' in step || 'escalate' in step || 'if' in step) return undefined;
      if ('goto' in step) return { target: step.goto, index };
    }
    return undefined;
  }

  /** Flows that go to each other in a circle without waiting would make the bot stop answering. */
  private checkGotoLoops(): void {
    const reported = new Set<string>();
    for (const name of this.flows.keys()) {
      const chain: string[] = [];
      for (let at: string | undefined = name; at !== undefined && !chain.includes(at); ) {
        chain.push(at);
        const origin = this.flows.get(at);
        at = origin && this.unconditionalGoto(origin.flow)?.target;
        if (at === name && !reported.has(name)) {
          chain.forEach((n) => reported.add(n));
          const { source, flow } = this.flows.get(name)!;
          const index = this.unconditionalGoto(flow)!.index;
          this.problems.push(source.problem(['flows', name, 'steps', index, 'goto'], `goto loop ${[...chain, name].join(' → ')} never waits for the customer; add an ask or menu, or end it`));
        }
      }
    }
  }

  private warnUnreachable(): void {
    const reached = new Set(this.references.map((r) => r.target));
    for (const [name, { source, triggers }] of this.flows) {
      if (!triggers.length && !reached.has(name)) {
        this.problems.push(source.problem(['flows', name], `flow "${name}" never runs: it has no triggers and nothing goes to it`, { key: true, severity: 'warning' }));
      }
    }
  }

  private compileCheckins(settings: SettingsData): Checkins {
    const rules = [...this.checkinRules.values()].map(({ rule }) => rule);
    return { settings: compileCheckinSettings(settings, this.settings?.data.closed_dates), rules };
  }

  finish(): FlowSet {
    const settings = compileSettings(this.settings?.data ?? {});
    const vocabulary = shopVocabulary(this.settings?.data.synonyms);
    const triggers = this.compileTriggers(settings, vocabulary);
    this.checkReferences();
    this.checkMediaFiles();
    this.checkGotoLoops();
    this.checkTemplates();
    this.warnUnreachable();
    if (!this.flows.size) {
      const first = this.firstSource;
      if (first) this.problems.push(first.problem([], 'no flows: write them under "flows:"; a bot without flows would answer nobody'));
    }
    if (!this.fallback && this.flows.size) {
      const first = [...this.flows.values()][0]!.source;
      this.problems.push(first.problem([], 'no "fallback" flow: messages that match no trigger get no reply', { severity: 'warning' }));
    }
    return {
      settings,
      start: this.start?.target,
      fallback: this.fallback?.target,
      flows: new Map([...this.flows].map(([name, origin]) => [name, origin.flow])),
      triggers,
      matching: buildMatching(vocabulary, triggers, [...this.flows.values()].map((origin) => origin.flow)),
      checkins: this.compileCheckins(this.settings?.data ?? {}),
      // The loader reads the catalogue file the settings name (src/catalog/load.ts).
      catalog: EMPTY_CATALOG,
    };
  }
}

function optionalDuration(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseDuration(text);
}

function endsTheFlow(step: Step): boolean {
  return step === 'end' || 'end' in step || 'goto' in step || 'escalate' in step;
}

function compileHours(hours: Record<string, string> | undefined, closedDates: string[] | undefined): WeeklyHours | null {
  if (!hours) return null;
  const perDay = new Map<number, Array<[number, number]>>();
  for (const [key, value] of Object.entries(hours)) {
    for (const day of parseDays(key)!) perDay.set(day, parseRanges(value)!);
  }
  return buildWeeklyHours(perDay, closedDates ?? []);
}

/** Settings with defaults applied; the schema has already validated every value. */
function compileSettings(data: SettingsData): Settings {
  const raw = {
    shop_name: '',
    timezone: DEFAULT_TIMEZONE,
    idle_reset: DEFAULT_IDLE_RESET,
    opt_out_words: DEFAULT_OPT_OUT_WORDS,
    opt_in_words: DEFAULT_OPT_IN_WORDS,
    ...data,
  };
  return {
    shopName: raw.shop_name,
    timezone: raw.timezone,
    language: data.language ?? 'id',
    hours: compileHours(data.hours, data.closed_dates),
    idleResetMs: parseDuration(raw.idle_reset)!,
    optOutWords: new Set(raw.opt_out_words.map(canonical)),
    optInWords: new Set(raw.opt_in_words.map(canonical)),
    messages: { ...DEFAULT_MESSAGES, ...data.messages },
    loyalWhen: data.loyal_when ?? null,
    staff: (data.staff ?? []).map((member) => ({ name: member.name, phone: normalizePhone(member.phone)!, owner: member.owner ?? false })),
    escalation: compileEscalation(data),
    quickReplies: data.quick_replies ?? {},
    raw,
  };
}

function compileEscalation(data: SettingsData): Settings['escalation'] {
  const written = { ...DEFAULT_ESCALATION, ...data.escalation };
  return {
    remindAfterMs: parseDuration(written.remind_after)!,
    alertAfterMs: parseDuration(written.alert_after)!,
    releaseAfterMs: parseDuration(written.release_after)!,
  };
}

function compileCheckinSettings(data: SettingsData, closedDates: string[] | undefined): Checkins['settings'] {
  const written = { ...DEFAULT_CHECKINS, ...data.checkins };
  const ranges = parseRanges(written.send_window)!;
  const window = buildWeeklyHours(new Map(written.days.flatMap((key) => parseDays(key)!).map((day) => [day, ranges])), closedDates ?? []);
  return {
    window,
    maxPerMinute: written.max_per_minute,
    minGapMs: parseDuration(written.min_gap)!,
    answerWindowMs: parseDuration(written.answer_window)!,
    allowImported: written.allow_imported,
  };
}

/** Compiles parsed files (in the order given) into one FlowSet, with every cross-file problem found. */
export function compileFiles(files: ParsedFile[], fileExists: (path: string) => boolean = () => true): { flows: FlowSet; problems: FlowError[] } {
  const compiler = new Compiler(fileExists);
  files.forEach((file) => compiler.add(file));
  const flows = compiler.finish();
  return { flows, problems: compiler.problems };
}
