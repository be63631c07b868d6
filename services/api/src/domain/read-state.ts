/**
 * Read state (CONTRACT section 8): each participant's marker, the caller's unread counts on every
 * Talk it is shown, read receipts on participants, and the caller's unread summary. Markers and
 * counts are kept outside the talk's log (marking read records no event and leaves the talk's seq
 * as it is), from what the log recorded (packages/store/src/read-state/).
 */
import { notFound } from '@talk/shared/errors';
import type { MarkReadBody, Participant, ReadState, Talk, UnreadSummary } from '@talk/shared/schemas';
import type { Caller } from './caller';
import type { RequestContext, TalkDeps } from './context';
import type { Membership, Reader } from './ports';
import { memberIn } from './talk-rules';

export const readerOf = (talkId: string, membership: Membership): Reader => ({
  talkId,
  agentId: membership.participant.agent_id,
  joinedSeq: membership.joinedSeq,
  leftAtSeq: membership.leftAtSeq,
});

/** Either count above 0: what `?unread=true` keeps and the summary adds up. */
export const hasUnread = (state: ReadState): boolean => state.unread_count > 0 || state.unread_mention_count > 0;

const withReadState = (talk: Talk, state: ReadState): Talk => ({
  ...talk,
  last_read_seq: state.last_read_seq,
  unread_count: state.unread_count,
  unread_mention_count: state.unread_mention_count,
});

export function createReadState(deps: TalkDeps) {
  const { talks, events, readStates, readNotices, clock } = deps;

  /**
   * The caller as a reader of the talk, from its participant projection, or from the talk's log
   * when the projection does not show it yet (a direct talk whose creation another request is
   * recording); a talk it never took part in is not there for it.
   */
  async function callerAsReader(caller: Caller, talkId: string): Promise<Reader> {
    const membership = await talks.findMembership(talkId, caller.agentId);
    if (membership !== null) return readerOf(talkId, membership);
    const seqs = (await events.state(talkId)).memberSeqs.get(caller.agentId);
    if (seqs === undefined) throw notFound(`talk ${talkId}`);
    return { talkId, agentId: caller.agentId, joinedSeq: seqs.joined, leftAtSeq: seqs.left };
  }

  return {
    /** The talk as the caller sees it: with its own marker and counts. */
    async talkForCaller(caller: Caller, talk: Talk): Promise<Talk> {
      return withReadState(talk, await readStates.stateOf(await callerAsReader(caller, talk.id)));
    },

    /** Read states of the caller's talks, all at once: each is a few point reads. */
    statesOf(entries: readonly { readonly talkId: string; readonly membership: Membership }[]): Promise<ReadState[]> {
      return Promise.all(entries.map(({ talkId, membership }) => readStates.stateOf(readerOf(talkId, membership))));
    },

    withReadState,

    /** Participants with their markers (read receipts). */
    async withMarkers(talkId: string, memberships: readonly Membership[]): Promise<Participant[]> {
      const markers = await Promise.all(memberships.map((membership) => readStates.markerOf(readerOf(talkId, membership))));
      return memberships.map(({ participant }, i) => ({ ...participant, last_read_seq: markers[i] ?? null }));
    },

    /**
     * Moves the caller's marker to `seq` (default and at most: the talk's newest seq); a lower
     * one leaves it where it is. Active participants only.
     */
    async markRead(ctx: RequestContext, talkId: string, body: MarkReadBody): Promise<ReadState> {
      const [state, membership] = await Promise.all([events.state(talkId), talks.findMembership(talkId, ctx.caller.agentId)]);
      memberIn(state, ctx.caller);
      if (membership === null) throw notFound(`talk ${talkId}`);
      const seq = Math.min(body.seq ?? state.seq, state.seq);
      const { state: read, moved } = await readStates.markRead(readerOf(talkId, membership), seq, clock());
      if (moved) {
        ctx.log.debug({ talkId, lastReadSeq: read.last_read_seq }, 'read marker moved');
        try {
          readNotices.publish(read);
        } catch (error) {
          ctx.log.warn({ err: error, talkId }, 'read marker moved, but the gateways were not told');
        }
      }
      return read;
    },

    /** Over the caller's active talks: how many have news, and the sums of both counts. */
    async summary(ctx: RequestContext): Promise<UnreadSummary> {
      const active = await talks.listActiveParticipationsOf(ctx.caller.agentId);
      const states = await Promise.all(active.map((membership) => readStates.stateOf(readerOf(membership.participant.talk_id, membership))));
      const withNews = states.filter(hasUnread);
      return {
        talks: withNews.length,
        messages: withNews.reduce((sum, state) => sum + state.unread_count, 0),
        mentions: withNews.reduce((sum, state) => sum + state.unread_mention_count, 0),
      };
    },
  };
}

export type ReadStateUseCases = ReturnType<typeof createReadState>;
