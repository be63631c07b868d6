/**
 * What the fan-out, connections and end-to-end benchmarks say to their load processes
 * (ws-clients.ts, publisher.ts, poster.ts, connections-clients.ts) and to the baseline servers
 * (baseline/ws-broadcaster.ts, baseline/ws-idle-server.ts). A module of
 * its own, so that a scenario imports the schemas without starting a process's IPC handler.
 */
import { z } from 'zod';

export const ClientsRequest = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    clients: z.array(z.object({ url: z.string(), talkId: z.string() })),
    concurrency: z.number().int().positive(),
  }),
  /** Starts a measurement window: counters and latency samples start from zero. */
  z.object({ type: z.literal('reset') }),
  /** Ends it once every client has every event up to `lastSeqs` (or after `settleMs`). */
  z.object({ type: z.literal('report'), lastSeqs: z.record(z.string(), z.number()), settleMs: z.number() }),
  z.object({ type: z.literal('close') }),
  /** Every client sends `typing` to its talk every `everyMs` (each at its own phase); null stops. */
  z.object({ type: z.literal('typing'), everyMs: z.number().positive().nullable() }),
]);
export type ClientsRequest = z.infer<typeof ClientsRequest>;

export const ClientsReport = z.object({
  deliveries: z.number(),
  /** Deliveries per second between the first and the last delivery of the window. */
  perSecond: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  lost: z.number(),
  duplicated: z.number(),
  reordered: z.number(),
  /** Typing frames received since the window started, and how long ago it started. */
  typingDeliveries: z.number(),
  windowMs: z.number(),
});
export type ClientsReport = z.infer<typeof ClientsReport>;

export const PublisherRequest = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    natsUrl: z.string(),
    subjectPrefix: z.string(),
    authorId: z.string(),
    talks: z.array(z.object({ talkId: z.string(), lastSeq: z.number() })),
  }),
  z.object({ type: z.literal('publish'), eventsPerSecond: z.number().positive(), durationMs: z.number().positive() }),
]);
export type PublisherRequest = z.infer<typeof PublisherRequest>;

export const PublishedReply = z.object({ published: z.number(), lastSeqs: z.record(z.string(), z.number()) });

export const BroadcasterRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('listen'), authorId: z.string(), talks: z.array(z.object({ talkId: z.string(), lastSeq: z.number() })) }),
  z.object({ type: z.literal('publish'), eventsPerSecond: z.number().positive(), durationMs: z.number().positive() }),
]);
export type BroadcasterRequest = z.infer<typeof BroadcasterRequest>;

export const PosterRequest = z.object({
  type: z.literal('post'),
  baseUrl: z.string(),
  posters: z.array(z.object({ token: z.string(), talkId: z.string() })),
  postsPerSecond: z.number().positive(),
  durationMs: z.number().positive(),
});

export const PostedReply = z.object({ posted: z.number(), failed: z.number(), lastSeqs: z.record(z.string(), z.number()) });

/** Opens more clients; they stay open until the process is stopped. */
export const IdleClientsRequest = z.object({
  type: z.literal('open'),
  clients: z.array(z.object({ url: z.string(), talkId: z.string() })),
  /** Source addresses (127.x.y.z), used in turn. */
  localAddresses: z.array(z.string()).min(1),
  concurrency: z.number().int().positive(),
});
export type IdleClientsRequest = z.infer<typeof IdleClientsRequest>;

export const IdleClientsOpened = z.object({
  /** Clients that got `subscribed` and are still open. */
  subscribed: z.number(),
  failed: z.number(),
  /** The first few failures, for the report. */
  failures: z.array(z.string()),
});
export type IdleClientsOpened = z.infer<typeof IdleClientsOpened>;

export const IdleServerRequest = z.object({ type: z.literal('listen') });

export const IdleServerListening = z.object({ port: z.number() });
