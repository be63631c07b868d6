/**
 * One HTTP call to Talk, retried where that is safe: a request the server refused without acting
 * on it (429) is always retried after `Retry-After`; a failure that leaves the outcome unknown (no
 * answer, 502, 503, 504) is retried only for calls that are idempotent, such as a message send
 * with a `client_message_id`.
 */
import type { z } from 'zod';
import { createBackoff, type BackoffOptions } from './backoff';
import { ErrorEnvelope, TalkApiError, TalkUnreachableError } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first one included; 1 turns retrying off. */
  readonly attempts: number;
  readonly backoff: BackoffOptions;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, backoff: { initialMs: 100, maxMs: 2_000 } };

export interface HttpOptions {
  /** e.g. `http://127.0.0.1:8080`; paths start with `/v1.0`. */
  readonly baseUrl: string;
  readonly retry?: RetryPolicy;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Told about every attempt that is about to be repeated, e.g. to log or count them. */
  readonly onRetry?: (retry: { readonly call: Call; readonly attempt: number; readonly reason: string }) => void;
}

export type Query = Readonly<Record<string, string | number | undefined>>;

export interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Undefined values are left out. */
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Repeating the call cannot change the outcome: it may be retried when the first answer is lost. */
  readonly idempotent: boolean;
}

export type Http = <T>(call: Call, schema: z.ZodType<T>) => Promise<T>;

const UNKNOWN_OUTCOME = new Set([502, 503, 504]);
const DEFAULT_TIMEOUT_MS = 10_000;

function urlOf(baseUrl: string, call: Call): string {
  const url = new URL(call.path, baseUrl);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

async function errorOf(response: Response): Promise<TalkApiError> {
  const text = await response.text();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined; // not the contract's envelope (e.g. a proxy's HTML page)
  }
  const envelope = ErrorEnvelope.safeParse(raw);
  if (!envelope.success) return new TalkApiError(response.status, 'HTTP_ERROR', text.slice(0, 200) || response.statusText, undefined, undefined);
  const { error } = envelope.data;
  return new TalkApiError(response.status, error.code, error.message, error.request_id, error.details);
}

function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createHttp(options: HttpOptions): Http {
  const retry = options.retry ?? DEFAULT_RETRY;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return async function call<T>(call: Call, schema: z.ZodType<T>): Promise<T> {
    const backoff = createBackoff(retry.backoff);
    const url = urlOf(options.baseUrl, call);
    const headers: Record<string, string> = { ...call.headers };
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    if (body !== undefined) headers['content-type'] = 'application/json';

    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= retry.attempts;
      let response: Response;
      try {
        response = await fetch(url, { method: call.method, headers, signal: AbortSignal.timeout(timeoutMs), ...(body === undefined ? {} : { body }) });
      } catch (error) {
        if (!call.idempotent || last) {
          throw new TalkUnreachableError(`${call.method} ${call.path}: no answer from ${options.baseUrl}`, { cause: error });
        }
        options.onRetry?.({ call, attempt, reason: error instanceof Error ? error.message : String(error) });
        await sleep(backoff.next());
        continue;
      }
      if (response.ok) {
        const parsed = schema.safeParse(await response.json());
        if (!parsed.success) throw new TalkUnreachableError(`${call.method} ${call.path}: the answer does not match the contract: ${parsed.error.message}`);
        return parsed.data;
      }
      const retryable = response.status === 429 || (call.idempotent && UNKNOWN_OUTCOME.has(response.status));
      if (!retryable || last) throw await errorOf(response);
      await response.body?.cancel();
      options.onRetry?.({ call, attempt, reason: `HTTP ${response.status}` });
      await sleep(response.status === 429 ? (retryAfterMs(response) ?? backoff.next()) : backoff.next());
    }
  };
}
