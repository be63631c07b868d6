/**
 * Talks the agent was added to while it had no connection: membership notices are not replayed,
 * so after a reconnect the agent's active talks are listed and the session subscribes to those it
 * does not follow (docs/websocket.md, Membership). Pure: it remembers which listed talks not to
 * subscribe to, and nothing of a talk gone from the listing.
 */

/** A talk of the agent's listing (`GET /v1.0/talks?status=active`), with the agent's marker in it. */
export interface ListedTalk {
  readonly id: string;
  readonly last_read_seq: number | null;
}

export interface FoundTalk {
  readonly talkId: string;
  readonly afterSeq: number;
  /** The agent's marker in the listing. */
  readonly marker: number;
}

export interface TalkDiscovery {
  /** The agent is out of the talk as of `seq` (its `participant_left`, or a marker refused with NOT_FOUND). */
  left(talkId: string, seq: number): void;
  /** The application unsubscribed: a listing does not subscribe to the talk again. */
  unsubscribed(talkId: string): void;
  subscribed(talkId: string): void;
  /** The listed talks to subscribe to; `followed` tells those the session has already. */
  found(talks: readonly ListedTalk[], followed: (talkId: string) => boolean): FoundTalk[];
}

/**
 * Where a listed talk is subscribed from. A marker starts at the seq of the agent's own
 * `participant_joined` and only moves forward, so one before the marker delivers the join and
 * everything after it when the agent has not read the talk elsewhere: the case of a talk it was
 * added to while away. When it has (another device moved the marker past the join), this starts at
 * the newest event it read there. Starting at the join then would need the join's seq, which no
 * answer carries: finding it means reading the talk's log from seq 1 (a member sees the history
 * before its join), a cost of the whole history, per talk, on every reconnect of every client at
 * once after a gateway restart, to hand out again what the agent has read already. `eventsAfter`
 * gives an application that wants it the history.
 */
export const discoveryAfterSeq = (lastReadSeq: number): number => Math.max(0, lastReadSeq - 1);

export function createTalkDiscovery(): TalkDiscovery {
  /**
   * Talks the agent is not in as of a seq. A marker stops at the leave and a rejoin starts it past
   * it, so a listing showing a marker at or below this seq is of a talk still left.
   */
  const notMember = new Map<string, number>();
  const unsubscribed = new Set<string>();

  return {
    left(talkId, seq) {
      notMember.set(talkId, Math.max(seq, notMember.get(talkId) ?? 0));
    },
    unsubscribed(talkId) {
      unsubscribed.add(talkId);
    },
    subscribed(talkId) {
      unsubscribed.delete(talkId);
    },
    found(talks, followed) {
      const listed = new Set(talks.map((talk) => talk.id));
      for (const talkId of notMember.keys()) if (!listed.has(talkId)) notMember.delete(talkId);
      for (const talkId of unsubscribed) if (!listed.has(talkId)) unsubscribed.delete(talkId);
      return talks.flatMap(({ id, last_read_seq: marker }) => {
        if (marker === null || followed(id) || unsubscribed.has(id) || marker <= (notMember.get(id) ?? -1)) return [];
        return [{ talkId: id, afterSeq: discoveryAfterSeq(marker), marker }];
      });
    },
  };
}
