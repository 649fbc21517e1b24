/**
 * The logger: pino, pretty for people at a terminal, one JSON object per line otherwise. Logs go to stderr,
 * so command output (and `setia chat`) stays clean on stdout. Secrets are redacted.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

/** Paths that may carry secrets; later parts (sessions, passwords, WhatsApp keys) add theirs here. */
export const REDACT_PATHS = ['password', '*.password', 'passwordHash', '*.passwordHash', 'token', '*.token', 'cookie', '*.cookie', 'creds', '*.creds', 'keys', '*.keys',
  // ioredis errors carry the command they failed on; a refused AUTH carries the Redis password.
  'err.command.args', '*.err.command.args'];

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  const stream =
    destination ??
    (config.logFormat === 'pretty'
      ? pretty({ destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' })
      : pino.destination({ dest: 2, sync: true }));
  return pino(options, stream);
}
