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

/** Query keys whose values are secrets, compared without case. */
const SECRET_QUERY_KEYS = new Set(['token', 'accesskey', 'password', 'x-admin-key']);

/**
 * A request's URL as it may be logged: its path, then its query rebuilt from the query as the
 * server parsed it (percent-escapes in keys decoded, as the code that reads `token` sees them),
 * with every secret value replaced. Redacting the raw text instead misses `?%74oken=…`.
 */
export function loggableUrl(path: string, query: Readonly<Record<string, unknown>>): string {
  const kept = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) kept.append(key, SECRET_QUERY_KEYS.has(key.toLowerCase()) ? '[redacted]' : String(one));
  }
  const search = kept.toString();
  return search === '' ? path : `${path}?${search}`;
}
