/** Messages between the presence scenario and its clients' process (presence-clients.ts). */
import { z } from 'zod';

export const PresenceClientsRequest = z.discriminatedUnion('type', [
  /** Connects client i to `urls[i % urls.length]` and follows the presence of `follows[i]`. */
  z.object({ type: z.literal('connect'), agents: z.array(z.object({ id: z.string(), token: z.string() })), urls: z.array(z.string()), follows: z.array(z.array(z.string())) }),
  /** Resolves once every client reads every agent it follows as online. */
  z.object({ type: z.literal('all-online'), timeoutMs: z.number() }),
  /** Resolves once every client still connected reads each of `agentIds` it follows as offline. */
  z.object({ type: z.literal('offline'), agentIds: z.array(z.string()), timeoutMs: z.number() }),
  z.object({ type: z.literal('close') }),
]);
export type PresenceClientsRequest = z.infer<typeof PresenceClientsRequest>;

export const OfflineReply = z.object({
  /** Date.now() when the last client read the last agent offline. */
  lastOfflineAt: z.number(),
  firstOfflineAt: z.number(),
  /** Presence frames received from the first offline frame to the last. */
  frames: z.number(),
  clientsWaiting: z.number(),
});
export type OfflineReply = z.infer<typeof OfflineReply>;
