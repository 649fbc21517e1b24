/**
 * `setia flows test`: runs conversation tests through the production store, pipeline and engine,
 * with a temporary database, the simulator transport and a fake clock.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { parseDuration } from '../core/duration.js';
import type { FlowSet } from '../core/flow/types.js';
import { FlowLoadError } from '../errors.js';
import { validate } from '../flows/issues.js';
import { loadFlows, shopRootOf } from '../flows/load.js';
import { YamlSource, type YamlPath } from '../flows/source.js';
import { LocalShop } from '../simulator/local-shop.js';
import { Store } from '../store/store.js';
import { describeSent, type SentMessage } from '../transport/simulator.js';
import { checkTurn } from './expectations.js';
import { TestFile, type TestFileData, type TurnData } from './format.js';
import { seededRandom } from '../core/seeded-random.js';

/** The fake clock's start when a test gives no `now`: a Monday morning in Jakarta. */
export const DEFAULT_TEST_NOW = '2026-11-23T10:00:00+07:00';

export interface TestOutcome {
  file: string;
  name: string;
  passed: boolean;
  /** Why it failed: problems in the files, or the turn that failed and how. */
  details: string[];
}

/** Where a test holds what someone types: YAML may read `1` or `0812…` as numbers. */
function typedTexts(data: unknown): YamlPath[] {
  const turns = (data as { conversation?: unknown })?.conversation;
  const paths: YamlPath[] = [['customer', 'name'], ['customer', 'phone']];
  if (Array.isArray(turns)) turns.forEach((_, i) => paths.push(['conversation', i, 'customer'], ['conversation', i, 'staff'], ['conversation', i, 'message']));
  return paths;
}

/** Test files under the given paths (files, or directories searched for *.test.yaml), sorted. */
export function findTestFiles(paths: string[]): string[] {
  return paths.flatMap((path) => {
    if (!existsSync(path) || !statSync(path).isDirectory()) return [path];
    return readdirSync(path).filter((name) => /\.test\.ya?ml$/i.test(name)).sort().map((name) => join(path, name));
  });
}

export class TestRunner {
  private readonly flowCache = new Map<string, FlowSet | FlowLoadError>();

  constructor(
    private readonly defaultFlowsDir: string,
    private readonly log: Logger,
  ) {}

  async run(file: string): Promise<TestOutcome> {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return { file, name: file, passed: false, details: [`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
    }
    const source = new YamlSource(file, text);
    source.keepAsText(typedTexts(source.data));
    const { data, problems } = source.errors.length ? { data: undefined, problems: source.errors } : validate(TestFile, source);
    if (!data) return { file, name: file, passed: false, details: problems.map((p) => p.message) };

    const flowsDir = data.flows ? resolve(dirname(file), data.flows) : this.defaultFlowsDir;
    const flows = this.flows(flowsDir);
    if (flows instanceof FlowLoadError) {
      return { file, name: data.name, passed: false, details: flows.problems.filter((p) => p.severity === 'error').map((p) => p.message) };
    }
    const details = await this.converse(data, flows, flowsDir, source);
    return { file, name: data.name, passed: details.length === 0, details };
  }

  private flows(dir: string): FlowSet | FlowLoadError {
    if (!this.flowCache.has(dir)) {
      try {
        this.flowCache.set(dir, loadFlows(dir).flows);
      } catch (error) {
        if (!(error instanceof FlowLoadError)) throw error;
        this.flowCache.set(dir, error);
      }
    }
    return this.flowCache.get(dir)!;
  }

  /** Plays the conversation; returns the failure lines of the first turn that fails. */
  private async converse(data: TestFileData, flows: FlowSet, flowsDir: string, source: YamlSource): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'setia-flowtest-'));
    const store = Store.open(join(dir, 'test.db'));
    try {
      const now = Date.parse(data.now ?? DEFAULT_TEST_NOW);
      const { last_contact: lastContact, ...customer } = data.customer ?? {};
      const shop = new LocalShop({
        store,
        mediaRoot: shopRootOf(flowsDir),
        flows: () => flows,
        log: this.log,
        now,
        random: seededRandom(1),
        customer: { ...customer, lastContactAt: lastContact === undefined ? undefined : pointInTime(lastContact, now) },
      });
      for (const [index, turn] of data.conversation.entries()) {
        const sent = await play(shop, turn);
        const bot = sent.filter((m) => store.messages.senderOf(m.messageId) === 'bot').map(describeSent);
        const started = 'customer' in turn ? shop.lastTurn?.started ?? [] : [];
        const problems = checkTurn(turn, { bot, started, escalated: shop.escalated(), customer: shop.customer() });
        if (problems.length) {
          const at = source.problem(['conversation', index], '');
          return [`${at.file}:${at.line}:${at.col}: turn ${index + 1}, ${describe(turn)}`, ...problems.map((p) => `  ${p}`)];
        }
      }
      return [];
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** A test's `last_contact`: how long before `now` ("29d"), or a date and time. */
function pointInTime(text: string, now: number): number {
  const ago = parseDuration(text);
  return ago === undefined ? Date.parse(text) : now - ago;
}

function play(shop: LocalShop, turn: TurnData): Promise<SentMessage[]> {
  if ('customer' in turn) return shop.send({ text: turn.customer, kind: turn.kind ?? (turn.location ? 'location' : 'text'), location: turn.location });
  if ('staff' in turn) return shop.staffReply(turn.staff);
  if ('staff_action' in turn) return shop.release(turn.message);
  return shop.passTime(parseDuration(turn.wait)!);
}

function describe(turn: TurnData): string {
  if ('customer' in turn) return `customer: "${turn.customer}"`;
  if ('staff' in turn) return `staff: "${turn.staff}"`;
  if ('staff_action' in turn) return `staff_action: ${turn.staff_action}`;
  return `wait: ${turn.wait}`;
}
