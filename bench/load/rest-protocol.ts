/**
 * What the REST write-path benchmark (bench/scenarios/rest.ts) says to its two load processes:
 * the HTTP poster (rest-posts.ts) and the raw driver writer (rest-raw-writes.ts). A module of its
 * own, so that the parent imports the schemas without starting a load process's IPC handler.
 */
import { z } from 'zod';

/** One concurrent writer: an agent posting into one of its talks, one message at a time. */
export const Poster = z.object({ agentId: z.string(), token: z.string(), talkId: z.string() });
export type Poster = z.infer<typeof Poster>;

export const PostsRequest = z.object({
  type: z.literal('posts'),
  /** The API process itself, `http://127.0.0.1:<port>`: not through nginx. */
  baseUrl: z.string(),
  /** One HTTP connection per poster. */
  posters: z.array(Poster).min(1),
  /** Messages each poster sends: every run does the same work from the same database state. */
  perPoster: z.number().int().positive(),
});
export type PostsRequest = z.infer<typeof PostsRequest>;

export const PostsReport = z.object({
  /** 2xx answers. */
  posts: z.number(),
  postsPerSecond: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  /** Answers outside 2xx, plus requests without an answer (socket errors, timeouts). */
  non2xx: z.number(),
});
export type PostsReport = z.infer<typeof PostsReport>;

export const RawRequest = z.discriminatedUnion('type', [
  /** Connects once: later phases reuse the warm connection pool, as the API does. */
  z.object({ type: z.literal('connect'), mongoUrl: z.string(), db: z.string() }),
  z.object({
    type: z.literal('raw'),
    /** The same writers as the HTTP run: the same talks, the same number of writers per talk. */
    posters: z.array(Poster).min(1),
    perPoster: z.number().int().positive(),
  }),
  z.object({
    type: z.literal('insert'),
    /** The limit of a post: one `insertOne` of a message-sized document, by the same writers. */
    posters: z.array(Poster).min(1),
    perPoster: z.number().int().positive(),
  }),
  z.object({ type: z.literal('close') }),
]);
export type RawRequest = z.infer<typeof RawRequest>;

export const RawReport = z.object({
  /** Messages fully written: the data layer's whole write path of a post, or the one insert. */
  writes: z.number(),
  writesPerSecond: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
});
export type RawReport = z.infer<typeof RawReport>;
