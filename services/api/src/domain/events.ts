/** A talk's change stream for catching up (`GET /v1.0/talks/{id}/events`). */
import type { TalkChangeEvent } from '@talk/shared/events';
import type { EventListQuery } from '@talk/shared/schemas';
import { requireReader } from './access';
import type { RequestContext, TalkDeps } from './context';

export interface EventPage {
  readonly result: readonly TalkChangeEvent[];
  /** The talk's newest seq, as far as the caller may see. */
  readonly last_seq: number;
}

export function createEvents(deps: TalkDeps) {
  return {
    async list(ctx: RequestContext, talkId: string, query: EventListQuery): Promise<EventPage> {
      const { membership } = await requireReader(deps, ctx.caller, talkId);
      const visibleUpTo = membership.leftAtSeq ?? Number.POSITIVE_INFINITY;
      const [events, lastSeq] = await Promise.all([
        deps.events.listAfter(talkId, query.after_seq, query.limit),
        deps.events.lastSeq(talkId),
      ]);
      return { result: events.filter((e) => e.seq <= visibleUpTo), last_seq: Math.min(lastSeq, visibleUpTo) };
    },
  };
}

export type Events = ReturnType<typeof createEvents>;
