/**
 * What the history benchmark (bench/scenarios/history.ts) says to its timing process
 * (history-requests.ts). A module of its own, so that the parent imports the schemas without
 * starting the child's IPC handler.
 */
import { z } from 'zod';

/**
 * How often to send a request. A request that takes seconds (a read that grows with the database
 * on FerretDB) is sent fewer times: sampling stops once `budgetMs` is spent, after at least
 * `minSamples`, and the warm-up once `warmupBudgetMs` is, after at least one request.
 */
export const Repeats = z.object({
  /** Discarded: connections opened, caches and JIT warm. */
  warmup: z.number().int().nonnegative(),
  warmupBudgetMs: z.number().nonnegative(),
  samples: z.number().int().positive(),
  minSamples: z.number().int().positive(),
  budgetMs: z.number().nonnegative(),
});
export type Repeats = z.infer<typeof Repeats>;

export const TimedHttp = z.object({
  type: z.literal('http'),
  method: z.enum(['GET', 'POST']),
  /** On the API process itself, `http://127.0.0.1:<port>/v1.0/…`: not through nginx. */
  url: z.string(),
  token: z.string(),
  /** A POST sends a new message each time, with a client_message_id of its own. */
  status: z.number().int(),
  /** How many items the answer's `result` must hold, checked once the clock has stopped. */
  results: z.number().int().nonnegative().optional(),
  repeats: Repeats,
});
export type TimedHttp = z.infer<typeof TimedHttp>;

export const TimedSubscribe = z.object({
  type: z.literal('subscribe'),
  /** On the gateway process itself, `ws://127.0.0.1:<port>/v1.0/ws?token=…`. */
  wsUrl: z.string(),
  talkId: z.string(),
  afterSeq: z.number().int().nonnegative(),
  /** The talk's newest seq: a sample ends once every event up to it has arrived. */
  lastSeq: z.number().int().positive(),
  repeats: Repeats,
});
export type TimedSubscribe = z.infer<typeof TimedSubscribe>;

export const TimingRequest = z.discriminatedUnion('type', [TimedHttp, TimedSubscribe]);
export type TimingRequest = z.infer<typeof TimingRequest>;

export const Timing = z.object({
  samples: z.number(),
  warmup: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
});
export type Timing = z.infer<typeof Timing>;
