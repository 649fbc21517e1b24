/**
 * Configuration from environment variables (and a `.env` file, which the real environment overrides).
 * An invalid value stops start-up with one line naming the variable and what is expected.
 */
import { existsSync } from 'node:fs';
import { DURATION_HINT, DURATION_PATTERN, parseDuration } from './core/duration.js';
import { ConfigError } from './errors.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** The SQLite database file. */
  dbPath: string;
  /** The directory of flow files. */
  flowsDir: string;
  logLevel: LogLevel;
  /** Human-readable logs, or one JSON object per line for log collectors. */
  logFormat: 'pretty' | 'json';
  /** Link with a pairing code for this number (digits with country code) instead of a QR. */
  pairingNumber?: string;
  /** WhatsApp's WebSocket address, overridden only for tests or a proxy. */
  waWebSocketUrl?: string;
  /** How long "typing…" shows per character of a reply; 0 sends at once. */
  typingMsPerChar: number;
  /** How long the bot keeps quiet in a chat after a person writes from the shop's phone. */
  phonePauseMs: number;
  /** Redis for check-ins; unset: a private redis-server under the data directory. */
  redisUrl?: string;
  /** Prefix of every Redis key, so that several shops can share one Redis. */
  redisPrefix: string;
  /** The staff inbox: port, address to listen on, and the address staff open (for links in notifications). */
  webPort: number;
  webHost: string;
  webBaseUrl: string;
}

/** Every variable Setia reads, with its default and meaning: the source of .env.example and the README table. */
export const VARIABLES = {
  SETIA_DB: { default: 'data/setia.db', help: 'SQLite database file' },
  SETIA_FLOWS: { default: 'flows', help: 'directory of flow files (*.yaml)' },
  LOG_LEVEL: { default: 'info', help: `one of ${LOG_LEVELS.join(', ')}` },
  LOG_FORMAT: { default: 'pretty on a terminal, else json', help: 'pretty or json' },
  WA_PAIRING_NUMBER: { default: '(unset: link by QR)', help: "the shop's number, digits with country code, to link with a pairing code" },
  WA_WEBSOCKET_URL: { default: "(WhatsApp's own)", help: 'advanced: a different WhatsApp WebSocket address, for tests or a proxy' },
  WA_PHONE_PAUSE: { default: '12h', help: "how long the bot keeps quiet in a chat after someone writes from the shop's phone" },
  REDIS_URL: { default: '(unset: a private redis-server under data/)', help: 'Redis for check-ins, e.g. redis://127.0.0.1:6379/0 (rediss:// for TLS)' },
  REDIS_PREFIX: { default: 'setia', help: 'prefix of the Redis keys; give each shop its own when they share a Redis' },
  WEB_PORT: { default: '3000', help: 'port of the staff inbox; 0 turns it off' },
  WEB_HOST: { default: '127.0.0.1', help: 'address the staff inbox listens on; 0.0.0.0 for every network (put it behind HTTPS)' },
  WEB_BASE_URL: { default: 'http://localhost:<WEB_PORT>', help: 'the inbox address staff open, used in links sent to their WhatsApp, e.g. https://inbox.tokosari.id' },
  WA_TYPING_MS_PER_CHAR: { default: '40', help: '"typing…" time per character of a reply (kept within 0.6–4 s); 0 sends at once' },
} as const;

type Env = Record<string, string | undefined>;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(name, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

function path(env: Env, name: keyof typeof VARIABLES): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return VARIABLES[name].default;
  if (value.includes('\0')) throw new ConfigError(name, 'a file path', value);
  return value;
}

function optional(env: Env, name: keyof typeof VARIABLES, pattern: RegExp, expected: string): string | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  if (!pattern.test(value)) throw new ConfigError(name, expected, value);
  return value;
}

export function loadConfig(env: Env = process.env, isTerminal = Boolean(process.stdout.isTTY)): Config {
  return {
    dbPath: path(env, 'SETIA_DB'),
    flowsDir: path(env, 'SETIA_FLOWS'),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['pretty', 'json'] as const, isTerminal ? 'pretty' : 'json'),
    pairingNumber: optional(env, 'WA_PAIRING_NUMBER', /^[1-9]\d{7,14}$/, 'digits with the country code and no leading 0 or +, e.g. 6281234567890'),
    waWebSocketUrl: optional(env, 'WA_WEBSOCKET_URL', /^wss?:\/\/\S+$/, 'a ws:// or wss:// address'),
    phonePauseMs: parseDuration(optional(env, 'WA_PHONE_PAUSE', DURATION_PATTERN, DURATION_HINT) ?? '12h')!,
    typingMsPerChar: Number(optional(env, 'WA_TYPING_MS_PER_CHAR', /^\d{1,4}$/, 'a whole number of milliseconds, 0 to 9999') ?? 40),
    redisUrl: redisUrl(env),
    redisPrefix: optional(env, 'REDIS_PREFIX', /^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ or -, at most 40') ?? 'setia',
    ...web(env),
  };
}

function web(env: Env): Pick<Config, 'webPort' | 'webHost' | 'webBaseUrl'> {
  const webPort = Number(optional(env, 'WEB_PORT', /^\d{1,5}$/, 'a port number from 0 to 65535') ?? 3000);
  if (webPort > 65_535) throw new ConfigError('WEB_PORT', 'a port number from 0 to 65535', String(webPort));
  const webHost = optional(env, 'WEB_HOST', /^[\w.:-]+$/, 'an address such as 127.0.0.1, 0.0.0.0 or ::') ?? '127.0.0.1';
  const baseUrl = optional(env, 'WEB_BASE_URL', /^https?:\/\/\S+$/, 'an http:// or https:// address such as https://inbox.example.com') ?? `http://localhost:${webPort}`;
  return { webPort, webHost, webBaseUrl: baseUrl.replace(/\/+$/, '') };
}

/** REDIS_URL, checked without echoing it: it may hold a password. */
function redisUrl(env: Env): string | undefined {
  const value = env.REDIS_URL?.trim();
  if (!value) return undefined;
  if (!/^rediss?:\/\/\S+$/.test(value) || !URL.canParse(value)) throw new ConfigError('REDIS_URL', 'a redis:// or rediss:// address such as redis://127.0.0.1:6379/0');
  return value;
}

/** Reads `.env` from the working directory into process.env, without overriding what is already set. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
