/**
 * What a decision reads besides the talk's state (DecisionReads): a message and its reactions as
 * the log has them at the decision's seq. A read that finds something recorded after that seq
 * throws StateBehind, and the event log brings the state up and decides again (event-log.ts).
 */
import type { Db } from 'mongodb';
import { ReactionEventData } from '@talk/shared/events';
import type { DecisionReads } from '@talk/decisions/decision';
import { reactionsOnWire, type Reactors } from '@talk/decisions/reactors';
import type { TalkState } from '@talk/decisions/talk-state';
import { COLLECTIONS, type EventDoc } from '../documents';
import { createReactionStore } from '../reaction-store';
import { messageCarriedBy, toEvent } from './event-docs';
import { reactorsAsOf, type LoggedReactionChange } from './reactions-as-of';

/** A decision read something recorded after the state it was given: bring the state up and decide again. */
export class StateBehind extends Error {
  override readonly name = 'StateBehind';
}

/** What a pending reaction event is read for: the database is an edge too, so it is parsed. */
const PendingReactionData = ReactionEventData.pick({ emoji: true, agent_id: true });

/** The reads of decisions made at `state`, for each state a decision is made at. */
export function createDecisionReads(db: Db): (state: TalkState) => DecisionReads {
  const events = db.collection<EventDoc>(COLLECTIONS.events);
  const reactionRows = createReactionStore(db);

  /** The message's reaction events not yet applied to its reaction rows (reactions-as-of.ts). */
  async function pendingReactionChanges(messageId: string): Promise<LoggedReactionChange[]> {
    const docs = await events
      .find({ reaction_of: messageId, pending: true }, { projection: { seq: 1, type: 1, 'data.emoji': 1, 'data.agent_id': 1 } })
      .toArray();
    return docs.map((doc) => {
      const { emoji, agent_id: agentId } = PendingReactionData.parse(doc.data);
      return { seq: doc.seq, removed: doc.type === 'reaction_removed', emoji, agentId };
    });
  }

  function readsAt(state: TalkState): DecisionReads {
    const reactions = new Map<string, Promise<Reactors>>();

    async function readReactions(messageId: string): Promise<Reactors> {
      // The pending events first, then the rows: see reactions-as-of.ts.
      const pending = await pendingReactionChanges(messageId);
      const rows = await reactionRows.rowsOf(state.talkId, messageId);
      const reactors = reactorsAsOf(state.seq, rows, pending);
      if (reactors === null) throw new StateBehind(`a reaction to message ${messageId} changed after ${state.seq}`);
      return reactors;
    }

    /** Read once per decision: a message's decision asks for its reactions and for the message that shows them. */
    function reactionsOf(messageId: string): Promise<Reactors> {
      let read = reactions.get(messageId);
      if (read === undefined) {
        read = readReactions(messageId);
        reactions.set(messageId, read);
      }
      return read;
    }

    return {
      async message(messageId) {
        const newest = await events.find({ message_id: messageId }).sort({ seq: -1 }).limit(1).next();
        if (newest === null || newest.talk_id !== state.talkId) return null;
        if (newest.seq > state.seq) throw new StateBehind(`message ${messageId} changed at ${newest.seq}, after ${state.seq}`);
        const event = toEvent(newest);
        const message = messageCarriedBy(event);
        if (message === undefined) throw new Error(`event ${event.id} of type ${event.type} carries message_id ${messageId}`);
        // A tombstone has no reactions; the rows of the reactions it had stay, unread.
        return message.deleted ? message : { ...message, reactions: reactionsOnWire(await reactionsOf(messageId)) };
      },
      reactions: reactionsOf,
    };
  }

  return readsAt;
}
