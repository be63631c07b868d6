/**
 * What the hot-talk benchmark (bench/scenarios/hot-talk.ts) says to its load process
 * (hot-talk-posts.ts). A module of its own, so that the parent imports the schemas without
 * starting a load process's IPC handler.
 */
import { z } from 'zod';
import { Poster } from './rest-protocol';

export const TimedPostsRequest = z.object({
  type: z.literal('posts'),
  /** The API processes themselves, `http://127.0.0.1:<port>`, not nginx: poster i posts to `apiUrls[i % length]`. */
  apiUrls: z.array(z.string()).min(1),
  /** One keep-alive connection and one message in flight per poster. */
  posters: z.array(Poster).min(1),
  /** Posted and checked in the log, but neither counted in the rate nor timed. */
  warmupMs: z.number().int().nonnegative(),
  /** The measured window after the warm-up; posting stops at its end. */
  durationMs: z.number().int().positive(),
});
export type TimedPostsRequest = z.infer<typeof TimedPostsRequest>;

/** A post answered 2xx, by the id it was sent with: the log must hold it exactly once, in its talk. */
export const AcceptedPost = z.object({ talkId: z.string(), clientMessageId: z.string(), seq: z.number() });
export type AcceptedPost = z.infer<typeof AcceptedPost>;

export const TimedPostsReport = z.object({
  /** 2xx answers within the measured window. */
  posts: z.number(),
  postsPerSecond: z.number(),
  /** 2xx answers in each second of the window. */
  perSecond: z.array(z.number()),
  /** Of the 2xx answers within the window. */
  p50Ms: z.number(),
  p99Ms: z.number(),
  /** Answers outside 2xx and requests without an answer, warm-up and tail included. */
  non2xx: z.number(),
  /** The same by HTTP status, `error` for a request without an answer (socket error, timeout). */
  non2xxByStatus: z.record(z.string(), z.number()),
  /** 2xx answers within the window by API process, in the order of `apiUrls`. */
  postsByApi: z.array(z.number()),
  /** Every post answered 2xx, warm-up and tail included. */
  accepted: z.array(AcceptedPost),
});
export type TimedPostsReport = z.infer<typeof TimedPostsReport>;
