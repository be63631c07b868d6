/**
 * What the unread benchmark (bench/scenarios/unread.ts) says to its timing processes
 * (unread-requests.ts over HTTP, unread-store.ts in the data layer). A module of its own, so that
 * the parent imports the schemas without starting a child's IPC handler.
 */
import { z } from 'zod';
import { TimedHttp } from './history-protocol';

/** The agent's talk listing page after page, each page timed, following next_page_token. */
export const WalkRequest = z.object({
  type: z.literal('walk'),
  /** `http://127.0.0.1:<api port>/v1.0/talks?page_size=50`, without a page_token. */
  url: z.string(),
  token: z.string(),
  /** Stop after this many pages, or at the last one. */
  pages: z.number().int().positive(),
});
export type WalkRequest = z.infer<typeof WalkRequest>;

export const ListedTalk = z.object({ id: z.string(), unread_count: z.number(), unread_mention_count: z.number() });
export type ListedTalk = z.infer<typeof ListedTalk>;

export const Walk = z.object({
  pagesMs: z.array(z.number()),
  /** The token that asks for each page after the first. */
  tokens: z.array(z.string()),
  talks: z.array(ListedTalk),
});
export type Walk = z.infer<typeof Walk>;

export const UnreadTimingRequest = z.discriminatedUnion('type', [WalkRequest, TimedHttp]);
export type UnreadTimingRequest = z.infer<typeof UnreadTimingRequest>;

/**
 * The data layer's part of one listing page, called in-process: `plain` is the talk listing as it
 * was before read state (the agent's talks, a page cut, the page's participant counts), `read_state`
 * the same with each talk's `readStates.stateOf` beside the counts, as the API's render does.
 */
export const StoreVariant = z.enum(['plain', 'read_state']);
export type StoreVariant = z.infer<typeof StoreVariant>;

export const StoreRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connect'), mongoUrl: z.string(), db: z.string(), agentId: z.string() }),
  /** Both variants in turn, `samples` each after `warmup` each; the first page. */
  z.object({ type: z.literal('compare'), warmup: z.number().int().nonnegative(), samples: z.number().int().positive(), pageSize: z.number().int().positive() }),
  /** One page of one variant, with the commands it sent to the database. */
  z.object({ type: z.literal('count'), variant: StoreVariant, pageSize: z.number().int().positive() }),
  z.object({ type: z.literal('close') }),
]);
export type StoreRequest = z.infer<typeof StoreRequest>;

export const VariantTiming = z.object({ p50Ms: z.number(), p99Ms: z.number(), samples: z.number() });
export type VariantTiming = z.infer<typeof VariantTiming>;

export const Comparison = z.object({ plain: VariantTiming, read_state: VariantTiming });
export type Comparison = z.infer<typeof Comparison>;

/** Database commands one page sent, by command name and collection (`find events`). */
export const CommandCount = z.object({ ms: z.number(), total: z.number(), byKind: z.record(z.string(), z.number()) });
export type CommandCount = z.infer<typeof CommandCount>;
