/**
 * `setia chat`: talk to the bot in the terminal as a customer, with the real flows (hot reloaded), a local
 * database and commands to act as staff and to move time.
 */
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { parseDuration } from '../core/duration.js';
import { localTime } from '../core/flow/hours.js';
import type { MatchHow } from '../core/flow/types.js';
import { shopRootOf } from '../flows/load.js';
import { FlowRegistry } from '../flows/registry.js';
import { LocalShop, type CustomerMessage } from '../simulator/local-shop.js';
import { Activity } from '../staff/activity.js';
import { Store } from '../store/store.js';
import { describeSent, type SentMessage } from '../transport/simulator.js';
import { CHAT_ACCOUNT, startChatInbox, type ChatInbox } from './chat-inbox.js';
import { renderWhatsApp } from './whatsapp-format.js';

export interface ChatOptions {
  flowsDir: string;
  dbPath: string;
  name?: string;
  phone?: string;
  log: Logger;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** The staff inbox beside the chat; port 0 leaves it off. */
  web?: { port: number; host: string };
}

const HELP = `Type as the customer would. Commands:
  /staff <text>         reply as staff (after the bot escalated)
  /release [text]       hand the conversation back to the bot, optionally with a closing message
  /image [caption]      send a photo (also /video, /document, /audio; /sticker is recorded, never answered)
  /location <lat> <lng> send a location
  /wait <duration>      move the clock forward, e.g. /wait 30m, /wait 3d; check-ins due on the way are sent
  /reset                forget this customer and start over
  /whoami               what the bot knows about you
  /why                  which trigger, menu option or product your last message matched, and how
  /help                 this list
  /quit                 leave (or Ctrl-D)`;

const MEDIA_COMMANDS = new Set(['image', 'video', 'document', 'audio', 'sticker']);

const HOW: Record<MatchHow, string> = {
  exact: 'as written',
  synonym: 'through the lexicon or settings.synonyms',
  suffix: 'without its suffix (-nya, -kan, …)',
  typo: 'despite a typo',
};

/** `/why`: what the engine made of the customer's last message, in words an owner can act on. */
export function explainTurn(turn: LocalShop['lastTurn']): string {
  if (!turn) return 'No message of yours was answered yet (or the last one was a sticker, never answered).';
  const flows = turn.started.length ? `; flows started: ${turn.started.join(' → ')}` : '; no flow started (the bot stays silent, or answered a question)';
  const { why } = turn;
  if (!why) return `Your last message matched no trigger, menu option or product${flows}.`;
  const what = { trigger: 'trigger', option: 'menu option', product: 'product' }[why.kind];
  return `"${why.words}" matched ${what} "${why.source}"${why.flow ? ` of flow ${why.flow}` : ''}, ${HOW[why.how]}${flows}.`;
}

export async function chat(options: ChatOptions): Promise<number> {
  const output = options.output ?? process.stdout;
  const color = Boolean((output as NodeJS.WriteStream).isTTY);
  const registry = FlowRegistry.load(options.flowsDir, options.log);
  const store = Store.open(options.dbPath);
  const activity = new Activity();
  const shop = new LocalShop({
    store,
    flows: () => registry.current(),
    log: options.log,
    now: Date.now(),
    realTime: true,
    customer: { name: options.name, phone: options.phone },
    mediaRoot: shopRootOf(options.flowsDir),
    afterCommit: (customerId) => activity.changed(customerId),
  });
  const write = (line: string): boolean => output.write(`${line}\n`);
  const dim = (text: string): string => (color ? `\x1b[2m${text}\x1b[22m` : text);
  const shopName = registry.current().settings.shopName || 'Bot';

  registry.watch();
  registry.onReload(() => write(dim('↻ flows reloaded')));

  const show = (sent: SentMessage[]): void => {
    const time = localTime(shop.now(), registry.current().settings.timezone).format('HH:mm');
    for (const message of sent) {
      const who = store.messages.senderOf(message.messageId) === 'staff' ? `${shopName} (staff)` : shopName;
      write(`${color ? '\x1b[32m' : ''}${who}${color ? '\x1b[39m' : ''} ${dim(time)}`);
      write(`${renderWhatsApp(describeSent(message), color)}\n`);
    }
    if (!sent.length && shop.escalated()) write(dim('(the bot stays silent: staff have this conversation; /staff to reply, /release to hand back)'));
  };

  const commands: Record<string, (arg: string) => Promise<void> | void> = {
    staff: async (text) => {
      if (text) show(await shop.staffReply(text));
      else write('usage: /staff <text>');
    },
    release: async (text) => show(await shop.release(text || undefined)),
    location: async (arg) => {
      const [latitude, longitude] = arg.split(/[\s,]+/).map(Number);
      if (latitude === undefined || longitude === undefined || Number.isNaN(latitude) || Number.isNaN(longitude)) return void write('usage: /location <lat> <lng>');
      show(await shop.send({ text: '', kind: 'location', location: { latitude, longitude } }));
    },
    wait: async (arg) => {
      const ms = parseDuration(arg);
      if (ms === undefined) return void write('usage: /wait <duration>, e.g. /wait 30m or /wait 3d');
      show(await shop.passTime(ms));
      write(dim(`⏱  it is now ${localTime(shop.now(), registry.current().settings.timezone).format('ddd D MMM YYYY HH:mm')}`));
    },
    reset: () => {
      shop.reset();
      write(dim('The bot has forgotten you: your next message is your first.'));
    },
    whoami: () => {
      const c = shop.customer();
      write(`name: ${c.name ?? '(none)'}   phone: ${c.phone ?? '(none)'}   opted out: ${c.optedOut ? 'yes' : 'no'}   escalated: ${shop.escalated() ? 'yes' : 'no'}`);
      write(`tags: ${c.tags.join(', ') || '(none)'}   counters: ${JSON.stringify(c.counters)}   saved: ${JSON.stringify(c.vars)}`);
    },
    why: () => void write(explainTurn(shop.lastTurn)),
    help: () => void write(HELP),
  };

  const handle = async (line: string): Promise<boolean> => {
    const command = /^\/(\w+)\s*(.*)$/s.exec(line.trim());
    if (!command) {
      if (line.trim()) show(await shop.send({ text: line }));
      return true;
    }
    const [, name, arg] = command as unknown as [string, string, string];
    if (name === 'quit' || name === 'exit') return false;
    if (MEDIA_COMMANDS.has(name)) show(await shop.send({ text: arg, kind: name as CustomerMessage['kind'] }));
    else if (commands[name]) await commands[name](arg);
    else write(`unknown command /${name}; /help lists them`);
    return true;
  };

  // What staff send from the browser arrives while the terminal waits for the customer's next line.
  let busy = false;
  shop.transport.onSend((message) => {
    if (!busy && message.chatId === shop.chatId) show([message]);
  });
  let inbox: ChatInbox | undefined;
  if (options.web?.port) {
    inbox = await startChatInbox({ store, shop, activity, flows: () => registry.current(), log: options.log, dbPath: options.dbPath, flowsDir: options.flowsDir, ...options.web });
    write(dim(`Staff inbox: ${inbox.url}  (log in as "${CHAT_ACCOUNT}" with password ${inbox.password})`));
  }

  write(dim(`Chatting with ${shopName} as ${options.name ?? 'a customer'} (${shop.chatId}). /help for commands, /quit to leave.`));
  const lines = createInterface({ input: options.input ?? process.stdin, terminal: false });
  try {
    for await (const line of lines) {
      busy = true;
      const goOn = await handle(line).finally(() => (busy = false));
      if (!goOn) break;
    }
  } finally {
    lines.close();
    await inbox?.app.close();
    registry.close();
    store.close();
  }
  return 0;
}
