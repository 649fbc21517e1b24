/** Drives the pure engine directly: a customer, their stored conversation and a clock, turn by turn. */
import { step } from '../../src/core/flow/engine.js';
import type { Action, Conversation, Customer, FlowSet, Inbound } from '../../src/core/flow/types.js';
import { compileFlowTexts } from '../../src/flows/load.js';

export function flowsFrom(yaml: string): FlowSet {
  const result = compileFlowTexts([{ file: 'test.yaml', text: yaml }]);
  if (!result.flows) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.flows;
}

/** Monday 23 November 2026, 10:00 in Jakarta. */
export const MONDAY_10AM = Date.parse('2026-11-23T10:00:00+07:00');

export class EngineChat {
  customer: Customer = { id: '628111@s.whatsapp.net', name: 'Budi', phone: '628111', tags: [], counters: {}, vars: {}, optedOut: false };
  conversation: Conversation | null = null;
  actions: Action[] = [];

  constructor(
    public flows: FlowSet,
    public now = MONDAY_10AM,
    private readonly random: () => number = () => 0,
  ) {}

  /** Sends a message; returns the texts the bot sends back. */
  say(text: string, inbound: Partial<Inbound> = {}): string[] {
    const result = step({
      flows: this.flows,
      customer: this.customer,
      conversation: this.conversation,
      inbound: { kind: 'text', text, ...inbound },
      now: this.now,
      random: this.random,
    });
    this.customer = result.customer;
    this.conversation = result.conversation;
    this.actions = result.actions;
    return result.actions.flatMap((a) => (a.type === 'send' ? [a.text] : []));
  }

  wait(ms: number): void {
    this.now += ms;
  }
}
