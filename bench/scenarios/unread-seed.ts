/**
 * The unread benchmark's talks, inserted straight into MongoDB in batches (history-seed.ts's
 * writer): `talks` group talks of the agent under test and 2–3 of its colleagues, each with a
 * random 0–200 messages from the colleagues after the agent joined (unread-documents.ts). The
 * draws come from a seeded generator, so every run seeds the same counts.
 */
import type { Db } from 'mongodb';
import { newId } from '@talk/shared/ids';
import type { UnreadCounts } from '@talk/decisions/unread';
import { writeInBatches, type SeedReport } from './history-seed';
import { unreadTalk } from './unread-documents';
import type { UnreadPeople } from './unread-people';

export interface UnreadPlan {
  readonly talks: number;
  readonly maxMessages: number;
  readonly seed: number;
}

export interface SeededTalks {
  readonly report: SeedReport;
  /** Talk ids as the agent's listing orders them: newest activity first. */
  readonly order: readonly string[];
  /** What each talk's unread counts must be for the agent, marker at its join. */
  readonly expected: ReadonlyMap<string, UnreadCounts>;
  readonly messages: number;
  readonly events: number;
}

/** mulberry32: small, fast and the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function seedUnreadTalks(db: Db, people: UnreadPeople, plan: UnreadPlan): Promise<SeededTalks> {
  const random = seededRandom(plan.seed);
  const firstAt = Date.now() - 30 * 24 * 3_600_000;
  const colleagues = people.colleagues.map((colleague) => colleague.id);
  const expected = new Map<string, UnreadCounts>();
  const activity: { readonly id: string; readonly at: number }[] = [];
  let messages = 0;
  let events = 0;
  const report = await writeInBatches(db, async (writer) => {
    for (let t = 0; t < plan.talks; t += 1) {
      const talk = unreadTalk({
        id: newId(),
        customerId: people.customerId,
        name: `Unread ${t}`,
        readerId: people.reader.id,
        writers: colleagues.slice(0, 2 + (t % 2)),
        messages: Math.floor(random() * (plan.maxMessages + 1)),
        // An hour apart: each talk's history is over before the next one's starts.
        createdAt: new Date(firstAt + t * 3_600_000),
        random,
      });
      await writer.talks.add(talk.talk);
      for (const participant of talk.participants) await writer.participants.add(participant);
      for (const event of talk.events) await writer.events.add(event);
      for (const message of talk.messages) await writer.messages.add(message);
      await writer.states.add(talk.state);
      expected.set(talk.talk._id, talk.expected);
      activity.push({ id: talk.talk._id, at: talk.talk.tm_update.getTime() });
      messages += talk.messages.length;
      events += talk.events.length;
    }
  });
  // As talk-pages.ts orders them: newest activity first, then by id.
  const order = activity.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(({ id }) => id);
  return { report, order, expected, messages, events };
}
