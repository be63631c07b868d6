/**
 * Read frames (docs/websocket.md, Read state), as the reference client hands them out. They travel
 * between gateways over core NATS, so two moves of one marker may arrive out of order; a marker
 * never moves back, so the highest seen per (talk, agent) is kept and a frame that is not higher
 * is dropped. Only what can still change is remembered: the markers of others in subscribed
 * talks, and the agent's own in the talks it takes part in.
 */
import type { ReadFrame } from './frames';

/** A read marker moved: `agentId` has read `talkId` up to `lastReadSeq`. */
export interface Read {
  readonly talkId: string;
  readonly agentId: string;
  readonly lastReadSeq: number;
  /** On the agent's own moves only (from any of its devices): its counts after the move. */
  readonly unread?: { readonly count: number; readonly mentionCount: number };
}

export interface ReadMarkers {
  /** The read to hand out, or undefined for one to drop (stale, or of a talk nobody follows here). */
  accept(frame: ReadFrame, subscribed: boolean): Read | undefined;
  /** The talk is no longer subscribed: forget the others' markers in it. */
  forgetTalk(talkId: string): void;
  /** `agentId` left the talk: its marker there moves no more (a rejoin starts it past the leave). */
  forgetAgent(talkId: string, agentId: string): void;
  /** How many markers are remembered. */
  size(): number;
}

export function createReadMarkers(ownAgentId: string): ReadMarkers {
  /** Per talk, per agent, the highest marker seen. */
  const highest = new Map<string, Map<string, number>>();

  function forgetAgent(talkId: string, agentId: string): void {
    const talk = highest.get(talkId);
    if (talk === undefined) return;
    talk.delete(agentId);
    if (talk.size === 0) highest.delete(talkId);
  }

  return {
    accept(frame, subscribed) {
      const own = frame.agent_id === ownAgentId;
      // Others' frames come for subscribed talks only; one after an unsubscribe is late.
      if (!own && !subscribed) return undefined;
      const talk = highest.get(frame.talk_id) ?? new Map<string, number>();
      const known = talk.get(frame.agent_id);
      if (known !== undefined && frame.last_read_seq <= known) return undefined;
      talk.set(frame.agent_id, frame.last_read_seq);
      highest.set(frame.talk_id, talk);
      const read = { talkId: frame.talk_id, agentId: frame.agent_id, lastReadSeq: frame.last_read_seq };
      if (!own || frame.unread_count === undefined || frame.unread_mention_count === undefined) return read;
      return { ...read, unread: { count: frame.unread_count, mentionCount: frame.unread_mention_count } };
    },
    forgetTalk(talkId) {
      const own = highest.get(talkId)?.get(ownAgentId);
      highest.delete(talkId);
      if (own !== undefined) highest.set(talkId, new Map([[ownAgentId, own]]));
    },
    forgetAgent,
    size: () => [...highest.values()].reduce((sum, talk) => sum + talk.size, 0),
  };
}
