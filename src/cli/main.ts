/** The `setia` command. Owners' mistakes and bad configuration end in one clear message, never a stack trace. */
import { Command } from 'commander';
import type { Logger } from 'pino';
import { startBot } from '../app.js';
import { LOG_LEVELS, loadConfig, loadDotEnv, type Config, type LogLevel } from '../config.js';
import { ConfigError, FlowLoadError, SetiaError } from '../errors.js';
import { createLogger } from '../logger.js';
import { chat } from './chat.js';
import { checkinsPreview } from './checkins-preview.js';
import { customersImport } from './customers-import.js';
import { flowsCheck } from './flows-check.js';
import { flowsSchema } from './flows-schema.js';
import { flowsTest } from './flows-test.js';
import { report } from './report.js';
import { staffAdd, staffList, staffPasswd, staffRemove, type StaffCommandIo } from './staff.js';
import { printStatus, readStatus } from './status.js';

interface Context {
  config: Config;
  log: Logger;
}

/** Owners' tools log only warnings unless LOG_LEVEL asks for more. */
function toolContext(): Context {
  const config = loadConfig();
  const logLevel: LogLevel = process.env.LOG_LEVEL && (LOG_LEVELS as readonly string[]).includes(process.env.LOG_LEVEL) ? config.logLevel : 'warn';
  return { config, log: createLogger({ ...config, logLevel }) };
}

function serviceContext(): Context {
  const config = loadConfig();
  return { config, log: createLogger(config) };
}

/** Runs a command, turning Setia's own errors into a message and an exit code. */
function command<A extends unknown[]>(action: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await action(...args);
    } catch (error) {
      if (error instanceof ConfigError) process.stderr.write(`Invalid configuration: ${error.message}\n`);
      else if (error instanceof FlowLoadError) process.stderr.write(`${error.message}\nThe flows have errors; run \`setia flows check\` after fixing them.\n`);
      else if (error instanceof SetiaError) process.stderr.write(`${error.message}\n`);
      else throw error;
      process.exitCode = 1;
    }
  };
}

/** How long a stopped bot may take to end by itself (sockets finishing their goodbyes) before it is ended. */
const EXIT_GRACE_MS = 3_000;

async function start(): Promise<number> {
  const { config, log } = serviceContext();
  const bot = startBot(config, log);
  const signal = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const gaveUp = bot.stopped.then(() => 'gave up');
  const why = await Promise.race([signal, gaveUp]);
  log.info(`stopping (${why})`);
  await bot.stop();
  // stop() leaves nothing running, so the process ends by itself. Should something we do not own hold it (such
  // as BullMQ's read abandoned while Redis is down, up to 11 s), end it: container runtimes SIGKILL after 10 s.
  setTimeout(() => {
    log.warn({ open: process.getActiveResourcesInfo() }, 'still running after stopping: exiting anyway');
    process.exit(process.exitCode);
  }, EXIT_GRACE_MS).unref();
  return why === 'gave up' ? 1 : 0;
}

loadDotEnv();
const program = new Command('setia')
  .description('Setia: a WhatsApp customer-chat bot for small shops')
  .showHelpAfterError()
  .addHelpText('after', '\nConfiguration comes from environment variables and a .env file; see .env.example.');

program.command('start').description('run the bot').action(command(start));

program
  .command('chat')
  .description('chat with the bot in the terminal as a customer, with the real flows and a local database')
  .option('--name <name>', 'your name as the customer', 'Budi')
  .option('--phone <digits>', 'your phone number with country code', '6281234567890')
  .option('--db <file>', 'the database for the chat (kept apart from the bot’s)', 'data/chat.db')
  .option('--flows <dir>', 'the flows directory (default: SETIA_FLOWS or flows)')
  .action(
    command(async (options: { name: string; phone: string; db: string; flows?: string }) => {
      const { config, log } = toolContext();
      const web = { port: config.webPort, host: config.webHost };
      return chat({ flowsDir: options.flows ?? config.flowsDir, dbPath: options.db, name: options.name, phone: options.phone, log, web });
    }),
  );

program
  .command('status')
  .description('is the bot running and linked, since when connected, why it last dropped, today’s messages, outbox')
  .option('--json', 'one JSON object (for health checks)')
  .action(
    command((options: { json?: boolean }) => {
      const { config } = toolContext();
      return printStatus(readStatus(config.dbPath, config.flowsDir, Date.now()), Boolean(options.json));
    }),
  );

const flows = program.command('flows').description('check, test and describe the flow files');

flows
  .command('check')
  .description('validate the flow files; each problem as file:line:col, exit code 1 on any error')
  .argument('[dir]', 'the flows directory (default: SETIA_FLOWS or flows)')
  .action(command((dir?: string) => flowsCheck(dir ?? toolContext().config.flowsDir)));

flows
  .command('test')
  .description('run conversation tests (default: <flows>/tests/*.test.yaml)')
  .argument('[paths...]', 'test files or directories')
  .option('--flows <dir>', 'the flows to test, unless a test file names its own (default: SETIA_FLOWS or flows)')
  .action(
    command((paths: string[], options: { flows?: string }) => {
      const { config, log } = toolContext();
      return flowsTest(paths, options.flows ?? config.flowsDir, log);
    }),
  );

flows
  .command('schema')
  .description('write JSON Schemas of flow files and test files into the flows directory, for editors')
  .option('--flows <dir>', 'the flows directory (default: SETIA_FLOWS or flows)')
  .action(command((options: { flows?: string }) => flowsSchema(options.flows ?? toolContext().config.flowsDir)));

const checkins = program.command('checkins').description('see what the check-ins will do');

checkins
  .command('preview')
  .description('who will be checked in when, by which rule and with which words; who is skipped and why')
  .option('--days <n>', 'how many days ahead', '7')
  .option('--all', 'list every planned check-in, not only the first 50')
  .action(
    command((options: { days: string; all?: boolean }) => {
      const days = Number(options.days);
      if (!Number.isInteger(days) || days < 1 || days > 366) throw new ConfigError('--days', 'a whole number of days from 1 to 366', options.days);
      const { config } = toolContext();
      return checkinsPreview({ dbPath: config.dbPath, flowsDir: config.flowsDir, days, all: Boolean(options.all), now: Date.now() });
    }),
  );

const customers = program.command('customers').description('the shop’s customer list');

customers
  .command('import')
  .description('import customers from a CSV file (name, phone, tags, counters); running it twice adds nobody twice')
  .argument('<file>', 'the CSV file; see docs/checkins.md for the columns')
  .action(
    command((file: string) => {
      const { config, log } = toolContext();
      return customersImport(file, { dbPath: config.dbPath, flowsDir: config.flowsDir, log });
    }),
  );

program
  .command('report')
  .description('conversations, escalations, staff response times, check-ins and satisfaction over a period')
  .option('--from <date>', 'the first day, YYYY-MM-DD in the shop’s time zone (default: 30 days back)')
  .option('--to <date>', 'the last day, YYYY-MM-DD (default: today, until now)')
  .option('--json', 'one JSON object, for machines')
  .action(
    command((options: { from?: string; to?: string; json?: boolean }) => {
      const { config } = toolContext();
      return report({ dbPath: config.dbPath, flowsDir: config.flowsDir, from: options.from, to: options.to, json: Boolean(options.json), now: Date.now() });
    }),
  );

const staff = program.command('staff').description('accounts for the staff inbox');
const staffIo = (): StaffCommandIo => ({ input: process.stdin, out: process.stdout, now: Date.now() });

staff
  .command('add')
  .description('create an account; asks for the password (or reads one line with --password-stdin)')
  .argument('<name>', 'the name to log in with')
  .option('--owner', 'an owner: also sees the linking page, the report and the queue dashboard')
  .option('--password-stdin', 'read the password from standard input')
  .action(command((name: string, options: { owner?: boolean; passwordStdin?: boolean }) => staffAdd(toolContext().config.dbPath, name, options, staffIo())));

staff
  .command('list')
  .description('list the accounts')
  .action(command(() => staffList(toolContext().config.dbPath, staffIo())));

staff
  .command('remove')
  .description('delete an account and end its sessions')
  .argument('<name>')
  .action(command((name: string) => staffRemove(toolContext().config.dbPath, name, staffIo())));

staff
  .command('passwd')
  .description('change an account’s password and end its sessions')
  .argument('<name>')
  .option('--password-stdin', 'read the password from standard input')
  .action(command((name: string, options: { passwordStdin?: boolean }) => staffPasswd(toolContext().config.dbPath, name, options, staffIo())));

await program.parseAsync();
