/**
 * The flow engine: one inbound message in, the new customer and conversation state and the actions out.
 * Pure: no storage, network, timers or clock reads; the time and the randomness come in with the input.
 */
import { findProducts, pickAmong, type ProductMatch } from '../catalog/match.js';
import type { Product } from '../catalog/types.js';
import { catalogView } from '../catalog/view.js';
import { withLoyalty } from '../checkin/loyalty.js';
import { formatRupiah } from '../text/money.js';
import { canonical } from '../text/normalize.js';
import { evaluate } from './conditions.js';
import { acceptAnswer } from './expect.js';
import { hoursView, isOpen } from './hours.js';
import { isDataPath } from './media-path.js';
import { nextPath, stepAt } from './path.js';
import { patience } from './patience.js';
import { hasPlaceholder, render, type TemplateScope } from './template.js';
import { optionByName } from './menu-choice.js';
import { explainTrigger } from './triggers.js';
import type {
  Action, Conversation, Customer, Flow, FlowSet, Inbound, MatchExplanation, MenuOption, Step, StepInput, StepPath, StepResult, Texts, Trigger, Waiting,
} from './types.js';

/** Steps one message may run, across gotos: a guard against flows that loop forever. */
const STEP_BUDGET = 500;
const DEFAULT_MAX_RETRIES = 3;

type MenuStep = Extract<Step, { menu: Texts }>;
type AskStep = Extract<Step, { ask: Texts }>;
type MediaStep = Extract<Step, { image: string }> | Extract<Step, { document: string }>;

/** Where the conversation keeps the product it is about, and the products a customer is choosing between. */
const PRODUCT_VAR = 'product';
const PRODUCT_CHOICES_VAR = 'product_choices';

/** The working state of one call to `step`. */
class Turn {
  customer: Customer;
  readonly actions: Action[] = [];
  readonly started: string[] = [];
  why: MatchExplanation | null = null;
  /** The products the message names, once worked out (null: not yet). */
  private named: ProductMatch | undefined | null = null;
  waiting: Waiting | null = null;
  escalated = false;
  /** This turn started a check-in or answers a check-in's question: its questions wait `answer_window`. */
  checkin = false;
  private budget = STEP_BUDGET;
  private hours: Record<string, string | boolean> | undefined;

  constructor(private readonly input: StepInput) {
    this.customer = copyCustomer(input.customer);
  }

  get flows(): FlowSet {
    return this.input.flows;
  }

  get inbound(): Inbound {
    return this.input.inbound;
  }

  get now(): number {
    return this.input.now;
  }

  private hoursNow(): Record<string, string | boolean> {
    const { settings } = this.flows;
    this.hours ??= hoursView(settings.hours, settings.timezone, this.input.now);
    return this.hours;
  }

  private scope(extra: TemplateScope = {}): TemplateScope {
    const { customer } = this;
    const hoursNow = (): Record<string, string | boolean> => this.hoursNow();
    const product = (): Product | undefined => this.product();
    const { catalog } = this.flows;
    return {
      ...customer.vars,
      vars: customer.vars,
      customer: { name: customer.name, phone: customer.phone, tags: customer.tags, counters: customer.counters },
      settings: this.flows.settings.raw,
      // Worked out only for a text that reads {{hours.*}}: the time-zone arithmetic is the costly part of a turn.
      get hours() {
        return hoursNow();
      },
      message: { text: this.input.inbound.text },
      // Like hours, worked out only for a text that reads it.
      get product() {
        return productView(product());
      },
      get catalog() {
        return catalogView(catalog);
      },
      ...extra,
    };
  }

  text(texts: Texts, extra?: TemplateScope): string {
    const variants = Array.isArray(texts) ? texts : [texts];
    const chosen = variants[Math.floor(this.input.random() * variants.length)] ?? '';
    // Most texts have no placeholder: building the scope for them was ~4 % of a message's CPU.
    return (hasPlaceholder(chosen) ? render(chosen, this.scope(extra)) : chosen).trim();
  }

  say(texts: Texts, extra?: TemplateScope): void {
    const text = this.text(texts, extra);
    if (text) this.actions.push({ type: 'send', text });
  }

  /** Runs a flow from its first step. */
  start(flowName: string | undefined): void {
    if (flowName === undefined) return;
    this.started.push(flowName);
    this.runFrom(flowName, [0]);
  }

  /** The product the conversation is about: the one the customer last named or chose. */
  product(): Product | undefined {
    const name = this.customer.vars[PRODUCT_VAR];
    return name ? this.flows.catalog.products.find((p) => p.name === name) : undefined;
  }

  productChoices(): Product[] {
    const names = new Set((this.customer.vars[PRODUCT_CHOICES_VAR] ?? '').split('|'));
    return this.flows.catalog.products.filter((p) => names.has(p.name));
  }

  /** The products a message named become the conversation's: one is chosen, several are to choose from. */
  aboutProducts(products: Product[]): void {
    const [only, ...more] = products;
    this.customer.vars[PRODUCT_VAR] = more.length ? '' : only?.name ?? '';
    this.customer.vars[PRODUCT_CHOICES_VAR] = more.length ? products.map((p) => p.name).join('|') : '';
  }

  /** A new conversation starts about no product (nothing is written for a customer who never named one). */
  forgetProducts(): void {
    if (this.customer.vars[PRODUCT_VAR] || this.customer.vars[PRODUCT_CHOICES_VAR]) this.aboutProducts([]);
  }

  /** Runs a fresh message: the matched trigger, else `start` on the first message ever, else `fallback`. */
  fresh(firstContact: boolean): void {
    const trigger = this.trigger();
    if (trigger) this.start(trigger.flow);
    else this.start((firstContact && this.flows.start) || this.flows.fallback);
  }

  /**
   * The trigger this message matches (`whole`: the whole message is the trigger). A `:product` trigger that wins
   * makes the products named the conversation's.
   */
  trigger(whole = false): Trigger | undefined {
    const named = this.namedProducts();
    const found = explainTrigger(this.flows, this.inbound, whole, named);
    const trigger = found?.trigger;
    if (found) this.why = found.why;
    if (trigger?.kind === 'product' && named) {
      this.aboutProducts(named.products);
      this.why = { kind: 'product', source: named.source, flow: trigger.flow, how: named.how, words: named.words };
    }
    return trigger;
  }

  /** The products the message names, when a flow listens for them (worked out once a turn). */
  private namedProducts(): ProductMatch | undefined {
    if (this.named === null) {
      const { triggers, matching, catalog } = this.flows;
      const listening = catalog.products.length > 0 && matching.otherTriggers.some((order) => triggers[order]!.kind === 'product');
      this.named = listening ? findProducts(catalog, matching.vocabulary, this.inbound.text) : undefined;
    }
    return this.named;
  }

  /** Continues a flow after the step at `path`. */
  continueAfter(flowName: string, path: StepPath): void {
    const flow = this.flows.flows.get(flowName);
    const next = flow && nextPath(flow.steps, path);
    if (next) this.runFrom(flowName, next);
  }

  /** Executes steps until the flow waits for an answer, escalates, or ends. */
  runFrom(flowName: string, from: StepPath): void {
    let flow = this.flows.flows.get(flowName);
    let path: StepPath | null = from;
    while (flow && path) {
      if (this.budget-- <= 0) return this.abandon();
      const current = stepAt(flow.steps, path);
      if (current === undefined) {
        path = nextPath(flow.steps, path);
        continue;
      }
      const outcome = this.execute(flow, current, path);
      if (outcome === 'stop') return;
      if (typeof outcome === 'string') {
        flow = this.flows.flows.get(outcome);
        path = [0];
      } else {
        path = outcome ?? nextPath(flow.steps, path);
      }
    }
  }

  /**
   * One step. Returns 'stop' when the turn is over, a flow name to go to, a path to jump to,
   * or undefined to go on with the next step.
   */
  private execute(flow: Flow, current: Step, path: StepPath): 'stop' | string | StepPath | undefined {
    if (current === 'end' || 'end' in current) return 'stop';
    if ('goto' in current) return current.goto;
    if ('if' in current) {
      const branch = evaluate(current.if, { customer: this.customer, openNow: this.openNow(), product: this.product() }) ? 'then' : 'else';
      return [...path, branch, 0];
    }
    if ('menu' in current || 'ask' in current) {
      this.ask(flow, current, path, 0);
      return 'stop';
    }
    if ('escalate' in current) {
      if (current.say !== undefined) this.say(current.say);
      else if (!this.actions.some((action) => action.type === 'send')) this.sayEscalated();
      this.actions.push({ type: 'escalate', reason: this.text(current.escalate) });
      this.escalated = true;
      return 'stop';
    }
    if ('say' in current) this.say(current.say);
    else if ('image' in current || 'document' in current) this.sendMedia(current);
    else if ('set' in current) this.set(current.set);
    else if ('tag' in current) this.tag(current.tag);
    else if ('untag' in current) this.untag(current.untag);
    else if ('count' in current) this.count(current.count);
    this.customer = withLoyalty(this.customer, this.flows.settings.loyalWhen);
    return undefined;
  }

  /**
   * A picture or file, captioned. A path that renders empty (a product without a photo) or outside data/ sends
   * the caption alone: the customer still gets the words.
   */
  private sendMedia(current: MediaStep): void {
    const kind = 'image' in current ? 'image' : 'document';
    const path = this.text('image' in current ? current.image : current.document);
    const caption = current.caption === undefined ? '' : this.text(current.caption);
    if (path && isDataPath(path)) this.actions.push({ type: 'send', text: caption, media: { kind, path } });
    else if (caption) this.actions.push({ type: 'send', text: caption });
  }

  /** The customer must not be left without a word: the default escalation text, honest about closed hours. */
  private sayEscalated(): void {
    const { messages } = this.flows.settings;
    this.say(this.openNow() ? messages.escalated : messages.escalated_closed);
  }

  /** A flow that loops without waiting: undo the turn, send nothing rather than a flood, end the conversation. */
  private abandon(): void {
    this.customer = copyCustomer(this.input.customer);
    this.actions.length = 0;
    this.waiting = null;
    this.escalated = false;
  }

  private openNow(): boolean {
    const { settings } = this.flows;
    return isOpen(settings.hours, settings.timezone, this.input.now);
  }

  private set(values: Record<string, string | number | boolean>): void {
    for (const [name, value] of Object.entries(values)) {
      this.save(name, typeof value === 'string' ? this.text(value) : String(value));
    }
  }

  save(name: string, value: string): void {
    if (name === 'customer.name') this.customer.name = value;
    else this.customer.vars[name] = value;
  }

  private tag(tags: string | string[]): void {
    for (const tag of [tags].flat()) if (!this.customer.tags.includes(tag)) this.customer.tags.push(tag);
  }

  private untag(tags: string | string[]): void {
    const remove = new Set([tags].flat());
    this.customer.tags = this.customer.tags.filter((t) => !remove.has(t));
  }

  private count(names: string | string[]): void {
    for (const name of [names].flat()) this.customer.counters[name] = (this.customer.counters[name] ?? 0) + 1;
  }

  /** Sends the question (after a hint when repeating it) and waits for the answer. */
  ask(flow: Flow, current: MenuStep | AskStep, path: StepPath, retries: number, hint?: string): void {
    if (hint) this.actions.push({ type: 'send', text: hint });
    const question = 'menu' in current ? menuText(this.text(current.menu), current.options) : this.askText(current);
    this.actions.push({ type: 'send', text: question });
    this.waiting = { kind: 'menu' in current ? 'menu' : 'ask', flow: flow.name, path, flowVersion: flow.version, stepKey: stepKey(current), retries };
    if (this.checkin) this.waiting.checkin = true;
  }

  /** An `expect: product` question lists the products the customer is choosing between, as a menu. */
  private askText(current: AskStep): string {
    const question = this.text(current.ask);
    const choices = current.expect === 'product' ? this.productChoices() : [];
    return choices.length ? menuText(question, choices.map((p) => ({ label: `${p.name} (${formatRupiah(p.price)})` }))) : question;
  }

  /** An answer that does not fit: repeat the question, or give up after max_retries repeats. */
  retry(waiting: Waiting, current: MenuStep | AskStep): void {
    const retries = waiting.retries + 1;
    if (retries > (current.max_retries ?? DEFAULT_MAX_RETRIES)) {
      this.start(current.on_fail ?? this.flows.fallback);
      return;
    }
    const flow = this.flows.flows.get(waiting.flow)!;
    if ('menu' in current) {
      const hint = this.text(current.retry ?? this.flows.settings.messages.menu_hint, { options: current.options.length });
      this.ask(flow, current, waiting.path, retries, hint);
    } else if (current.retry !== undefined) {
      this.say(current.retry);
      this.waiting = { ...waiting, retries };
    } else {
      this.ask(flow, current, waiting.path, retries, this.text(this.flows.settings.messages.retry));
    }
  }
}

/** A product as templates read it: {{product.price}} is formatted, every other column is there as written. */
function productView(product: Product | undefined): Record<string, unknown> | undefined {
  if (!product) return undefined;
  const { extra, aliases, price, ...known } = product;
  return { ...extra, ...known, price: formatRupiah(price), price_number: price, aliases };
}

function copyCustomer(c: Customer): Customer {
  return { ...c, tags: [...c.tags], counters: { ...c.counters }, vars: { ...c.vars } };
}

function menuText(text: string, options: MenuOption[]): string {
  return [text, ...options.map((o, i) => `${i + 1}. ${o.label}`)].join('\n');
}

/** Identifies a question independently of its wording, so rewording a flow does not strand waiting customers. */
export function stepKey(current: MenuStep | AskStep): string {
  if ('menu' in current) return `menu:${current.options.map((o) => canonical(o.label)).join('|')}`;
  return `ask:${current.save ?? ''}:${current.expect ?? 'text'}`;
}

/** The option a reply chooses: by label or alias first (labels may be numbers, like shoe sizes), then by number. */
function chooseOption(turn: Turn, options: MenuOption[], text: string): number {
  const named = optionByName(turn.flows.matching, options, text);
  if (named) {
    turn.why = named.why;
    return named.index;
  }
  const answer = canonical(text);
  const index = numberedChoice(answer, options.length);
  if (index >= 0) turn.why = { kind: 'option', source: options[index]!.label, how: 'exact', words: answer };
  return index;
}

/** The position an answer like "2" picks in a numbered list of `count`, or -1. */
function numberedChoice(answer: string, count: number): number {
  const n = /^\d+$/.test(answer) ? Number(answer) : 0;
  return n >= 1 && n <= count ? n - 1 : -1;
}

/** The question a customer was asked, if the (possibly edited) flows still ask it at the same place. */
function pendingQuestion(flows: FlowSet, waiting: Waiting): MenuStep | AskStep | undefined {
  const flow = flows.flows.get(waiting.flow);
  const current = flow && stepAt(flow.steps, waiting.path);
  if (current === undefined || typeof current === 'string' || !('menu' in current || 'ask' in current)) return undefined;
  if (flow!.version !== waiting.flowVersion && stepKey(current) !== waiting.stepKey) return undefined;
  return current;
}

function answerMenu(turn: Turn, waiting: Waiting, menu: MenuStep, text: string): void {
  const index = chooseOption(turn, menu.options, text);
  const option = menu.options[index];
  if (!option) {
    const trigger = turn.trigger();
    if (trigger) turn.start(trigger.flow);
    else turn.retry(waiting, menu);
    return;
  }
  if (menu.save) turn.save(menu.save, option.label);
  if (option.steps?.length) turn.runFrom(waiting.flow, [...waiting.path, `option:${index}`, 0]);
  else if (option.goto) turn.start(option.goto);
  else turn.continueAfter(waiting.flow, waiting.path);
}

function answerAsk(turn: Turn, waiting: Waiting, ask: AskStep): void {
  const { inbound } = turn;
  const exact = turn.trigger(true);
  if (exact) return turn.start(exact.flow);
  if (ask.expect === 'product') return answerProduct(turn, waiting, ask);
  const value = acceptAnswer(ask.expect ?? 'text', inbound, { now: turn.now, timezone: turn.flows.settings.timezone });
  if (value !== undefined) {
    if (ask.save) turn.save(ask.save, value);
    return turn.continueAfter(waiting.flow, waiting.path);
  }
  const contained = turn.trigger();
  if (contained) turn.start(contained.flow);
  else turn.retry(waiting, ask);
}

/**
 * `expect: product`: a product's name or alias, or the number of one of the choices listed. Naming several
 * ("roti") lists them and asks again; naming none may start another flow, as any wrong answer does.
 */
function answerProduct(turn: Turn, waiting: Waiting, ask: AskStep): void {
  const choices = turn.productChoices();
  const answer = canonical(turn.inbound.text);
  const chosen = choices[numberedChoice(answer, choices.length)] ?? pickAmong(choices, answer);
  // Not one of the choices by number or by a word that sets it apart: any product the answer names.
  const named = chosen ? undefined : findProducts(turn.flows.catalog, turn.flows.matching.vocabulary, turn.inbound.text);
  const products = chosen ? [chosen] : named?.products ?? [];
  if (named) turn.why = { kind: 'product', source: named.source, how: named.how, words: named.words };
  if (products.length === 1) {
    turn.aboutProducts(products);
    if (ask.save) turn.save(ask.save, products[0]!.name);
    return turn.continueAfter(waiting.flow, waiting.path);
  }
  if (products.length > 1) {
    turn.aboutProducts(products);
    return turn.ask(turn.flows.flows.get(waiting.flow)!, ask, waiting.path, waiting.retries);
  }
  const contained = turn.trigger();
  if (contained) turn.start(contained.flow);
  else turn.retry(waiting, ask);
}

export function step(input: StepInput): StepResult {
  const turn = new Turn(input);
  const { flows, conversation, inbound, now } = input;
  const word = inbound.kind === 'text' ? canonical(inbound.text) : '';
  const isOptWord = word !== '' && (flows.settings.optOutWords.has(word) || flows.settings.optInWords.has(word));
  const escalated = conversation?.escalated ?? false;
  const pausedUntil = conversation?.pausedUntil != null && now < conversation.pausedUntil ? conversation.pausedUntil : null;
  // Staff have the conversation (escalated), or a person just wrote from the shop's phone (paused): the bot keeps quiet.
  const quiet = { escalated, pausedUntil };

  if (isOptWord) {
    const optOut = flows.settings.optOutWords.has(word);
    turn.customer.optedOut = optOut;
    const optInWord = (flows.settings.raw.opt_in_words as string[] | undefined)?.[0] ?? '';
    if (!escalated && pausedUntil === null) turn.say(optOut ? flows.settings.messages.opted_out : flows.settings.messages.opted_in, { opt_in_word: optInWord });
    return finish(turn, quiet, null, now);
  }
  if (escalated || pausedUntil !== null) return finish(turn, quiet, null, now);

  // After idle time, or after a pause (a person talked meanwhile), an old question no longer counts.
  const stale = conversation !== null && (now - conversation.lastActivityAt >= patience(flows, conversation.waiting) || conversation.pausedUntil != null);
  const waiting = stale ? null : conversation?.waiting ?? null;
  // The product talked about belongs to the conversation: a new one starts without it.
  if (stale) turn.forgetProducts();
  const question = waiting && pendingQuestion(flows, waiting);
  if (waiting && question) {
    turn.checkin = waiting.checkin === true;
    if ('menu' in question) answerMenu(turn, waiting, question, inbound.text);
    else answerAsk(turn, waiting, question);
  } else {
    turn.fresh(conversation === null);
  }
  return finish(turn, { escalated: turn.escalated, pausedUntil: null }, turn.waiting, now);
}

/** Starts a check-in: the rule's flow runs from its first step, as if the shop had spoken first. */
export function checkIn(input: Omit<StepInput, 'inbound'> & { flow: string }): StepResult {
  const turn = new Turn({ ...input, inbound: { kind: 'text', text: '' } });
  turn.checkin = true;
  turn.start(input.flow);
  return finish(turn, { escalated: turn.escalated, pausedUntil: null }, turn.waiting, input.now);
}

function finish(turn: Turn, quiet: Pick<Conversation, 'escalated' | 'pausedUntil'>, waiting: Waiting | null, now: number): StepResult {
  const conversation: Conversation = { waiting: quiet.escalated ? null : waiting, ...quiet, lastActivityAt: now };
  return { customer: turn.customer, conversation, actions: turn.actions, started: turn.started, why: turn.why };
}
