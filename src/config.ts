/**
 * Configuration from environment variables (and a `.env` file, which the real environment overrides).
 * An invalid value stops start-up with one line naming the variable and what is expected.
 */
import { existsSync } from 'node:fs';
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
}

/** Every variable Setia reads, with its default and meaning: the source of .env.example and the README table. */
export const VARIABLES = {
  SETIA_DB: { default: 'data/setia.db', help: 'SQLite database file' },
  SETIA_FLOWS: { default: 'flows', help: 'directory of flow files (*.yaml)' },
  LOG_LEVEL: { default: 'info', help: `one of ${LOG_LEVELS.join(', ')}` },
  LOG_FORMAT: { default: 'pretty on a terminal, else json', help: 'pretty or json' },
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

export function loadConfig(env: Env = process.env, isTerminal = Boolean(process.stdout.isTTY)): Config {
  return {
    dbPath: path(env, 'SETIA_DB'),
    flowsDir: path(env, 'SETIA_FLOWS'),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['pretty', 'json'] as const, isTerminal ? 'pretty' : 'json'),
  };
}

/** Reads `.env` from the working directory into process.env, without overriding what is already set. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
