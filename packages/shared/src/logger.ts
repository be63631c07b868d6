import { pino, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

/** Paths that may carry secrets anywhere in a log object; their values are replaced. */
const REDACT = [
  'password',
  'token',
  'accesskey',
  'authorization',
  '*.password',
  '*.token',
  '*.accesskey',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-admin-key"]',
  'req.query.token',
  'req.query.accesskey',
];

/** The one root logger of a process; everything else logs through `logger.child(…)`. */
export function createLogger(service: string, level: LogLevel): Logger {
  return pino({ name: service, level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** Removes `token` and `accesskey` from a URL's query before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|accesskey)=)[^&]*/gi, '$1[redacted]');
}
