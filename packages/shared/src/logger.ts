import { pino, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

/** What a secret is logged as. */
const REDACTED = '[redacted]';

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
  return pino({ name: service, level, redact: { paths: REDACT, censor: REDACTED } });
}

/** Query keys whose values are secrets, compared without case. */
const SECRET_QUERY_KEYS = new Set(['token', 'accesskey', 'password', 'x-admin-key']);

/**
 * A request's URL as it may be logged: its path, then its query rebuilt from the query as the
 * server parsed it (percent-escapes in keys decoded, as the code that reads `token` sees them),
 * with every secret value replaced. Redacting the raw text instead misses `?%74oken=…`.
 */
export function loggableUrl(path: string, query: Readonly<Record<string, unknown>>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    const secret = SECRET_QUERY_KEYS.has(key.toLowerCase());
    for (const one of Array.isArray(value) ? value : [value]) {
      pairs.push(`${encodeURIComponent(key)}=${secret ? REDACTED : encodeURIComponent(String(one))}`);
    }
  }
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}
