/**
 * Drops every projection of a database and derives it again from the event log: each talk's
 * events in seq order through the projector (projector.ts), and each talk's decision snapshot
 * (talk-states.ts) folded from them. The logs themselves (events, the pairs' claims) and the
 * identities (customers, agents) are sources, never touched. Run it with no service writing to the
 * database: an event recorded during the rebuild may be applied before the talk it belongs to is
 * rebuilt, and then dropped with it.
 */
import type { Db } from 'mongodb';
import { ensureIndexes } from '../database';
import { COLLECTIONS, type EventDoc } from '../documents';
import { createEventLog } from './event-log';
import { createStore } from '../store';
import { emptyTalkState, foldEvent } from '@talk/decisions/talk-state';
import { createTalkStates } from './talk-states';

/** Everything derived from the logs: what a rebuild drops. */
export const PROJECTIONS = [COLLECTIONS.talks, COLLECTIONS.participants, COLLECTIONS.messages, COLLECTIONS.reactions, COLLECTIONS.talkStates] as const;

const PAGE = 1_000;
const TALKS_AT_ONCE = 8;

export interface RebuildReport {
  readonly talks: number;
  readonly events: number;
}

export async function rebuildProjections(db: Db, onTalk: (talkId: string, events: number) => void = () => undefined): Promise<RebuildReport> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of PROJECTIONS) if (existing.has(name)) await db.collection(name).drop();
  await ensureIndexes(db);

  const store = createStore(db);
  const log = createEventLog(db);
  const states = createTalkStates(db);
  const talkIds: string[] = await db.collection<EventDoc>(COLLECTIONS.events).distinct('talk_id');

  async function rebuildTalk(talkId: string): Promise<number> {
    let state = emptyTalkState(talkId);
    for (;;) {
      const page = await log.listAfter(talkId, state.seq, PAGE);
      for (const event of page) {
        state = foldEvent(state, event);
        await store.projector.apply(event);
      }
      if (page.length < PAGE) break;
    }
    await states.save(state);
    onTalk(talkId, state.seq);
    return state.seq;
  }

  let events = 0;
  for (let from = 0; from < talkIds.length; from += TALKS_AT_ONCE) {
    const counts = await Promise.all(talkIds.slice(from, from + TALKS_AT_ONCE).map(rebuildTalk));
    events += counts.reduce((sum, count) => sum + count, 0);
  }
  return { talks: talkIds.length, events };
}
