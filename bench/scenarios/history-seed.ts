/**
 * The volume of the history benchmark, inserted straight into MongoDB: customers with their
 * agents, and talks with their whole finished history (history-documents.ts builds the
 * documents). Going through the API would record each event with its round trips, hours for
 * 200,000 events on FerretDB; `insertMany` in batches of 1,000 writes some 10,000 documents a
 * second there. Nothing database-specific is run afterwards (no ANALYZE, no VACUUM): the database
 * is left as a real deployment's would be after its users wrote the same history.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { newId } from '@talk/shared/ids';
import {
  COLLECTIONS,
  type AgentDoc,
  type CustomerDoc,
  type EventDoc,
  type MessageDoc,
  type ParticipantDoc,
  type TalkDoc,
} from '@talk/store/documents';
import type { TalkStateDoc } from '@talk/store/write-pipeline/talk-states';
import { EVENT_SPACING_MS, eventsOf, seededTalk, type TalkPlan } from './history-documents';

const BATCH = 1_000;
/** Two batches in flight: FerretDB turns each into PostgreSQL work, and the box has two cores. */
const BATCHES_IN_FLIGHT = 2;

export interface SeedReport {
  readonly documents: number;
  readonly seconds: number;
}

interface Batches<T> {
  add(doc: T): Promise<void>;
  flush(): Promise<void>;
}

/** Inserts documents in batches, a few batches in flight over all collections at once. */
function createWriter(db: Db) {
  const inFlight = new Set<Promise<void>>();
  let documents = 0;
  let failure: unknown;

  function throwIfFailed(): void {
    if (failure !== undefined) throw new Error('a batch of seeded documents was not inserted', { cause: failure });
  }

  async function send(insert: Promise<unknown>, count: number): Promise<void> {
    // A failed batch is kept, and stops the seeding at the next batch or at the end.
    const tracked: Promise<void> = insert.then(
      () => {
        documents += count;
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    inFlight.add(tracked);
    void tracked.then(() => inFlight.delete(tracked));
    while (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
    throwIfFailed();
  }

  function batchesOf<T>(insertMany: (docs: T[]) => Promise<unknown>): Batches<T> {
    let pending: T[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const docs = pending;
      pending = [];
      await send(insertMany(docs), docs.length);
    };
    return {
      async add(doc) {
        pending.push(doc);
        if (pending.length >= BATCH) await flush();
      },
      flush,
    };
  }

  const collections = {
    customers: batchesOf((docs: CustomerDoc[]) => db.collection<CustomerDoc>(COLLECTIONS.customers).insertMany(docs)),
    agents: batchesOf((docs: AgentDoc[]) => db.collection<AgentDoc>(COLLECTIONS.agents).insertMany(docs)),
    talks: batchesOf((docs: TalkDoc[]) => db.collection<TalkDoc>(COLLECTIONS.talks).insertMany(docs)),
    participants: batchesOf((docs: ParticipantDoc[]) => db.collection<ParticipantDoc>(COLLECTIONS.participants).insertMany(docs)),
    events: batchesOf((docs: EventDoc[]) => db.collection<EventDoc>(COLLECTIONS.events).insertMany(docs)),
    messages: batchesOf((docs: MessageDoc[]) => db.collection<MessageDoc>(COLLECTIONS.messages).insertMany(docs)),
    states: batchesOf((docs: TalkStateDoc[]) => db.collection<TalkStateDoc>(COLLECTIONS.talkStates).insertMany(docs)),
  };

  return {
    ...collections,
    /** Sends what is left and waits for every batch; resolves with the documents written so far. */
    async finish(): Promise<number> {
      for (const batches of Object.values(collections)) await batches.flush();
      await Promise.all(inFlight);
      throwIfFailed();
      return documents;
    },
  };
}

export type Writer = ReturnType<typeof createWriter>;

async function writeTalk(writer: Writer, plan: TalkPlan): Promise<void> {
  const talk = seededTalk(plan);
  await writer.talks.add(talk.talk);
  for (const participant of talk.participants) await writer.participants.add(participant);
  for (const entry of talk.history()) {
    await writer.events.add(entry.event);
    if (entry.message !== undefined) await writer.messages.add(entry.message);
  }
  await writer.states.add(talk.state);
}

/** Runs `write` with a batching writer and waits until every document it added is in. */
export async function writeInBatches(db: Db, write: (writer: Writer) => Promise<void>): Promise<SeedReport> {
  const started = performance.now();
  const writer = createWriter(db);
  await write(writer);
  const documents = await writer.finish();
  return { documents, seconds: (performance.now() - started) / 1000 };
}

/** Seeds one talk (the big talk) and its whole history. */
export const seedTalk = (db: Db, plan: TalkPlan): Promise<SeedReport> => writeInBatches(db, (writer) => writeTalk(writer, plan));

export interface BackgroundPlan {
  /** Customers the talks are spread over, in turn by blocks: talk t belongs to customer ⌊t / talksPerCustomer⌋. */
  readonly customers: number;
  /** Talks when fully grown. */
  readonly talks: number;
  readonly agentsPerCustomer: number;
  readonly eventsPerTalk: number;
}

export interface Background {
  /** Seeds the next talks until there are `talks` of them. */
  growTo(talks: number): Promise<SeedReport>;
  /** Talks seeded so far. */
  talks(): number;
}

interface SeededCustomer {
  readonly id: string;
  readonly agentIds: readonly string[];
}

/** Members of background talk t: 3 to 5 neighbouring agents of its customer, varied by talk. */
function membersOf(t: number, agents: readonly string[]): string[] {
  const count = 3 + (t % 3);
  return Array.from({ length: count }, (_, i) => agents[(t * 7 + i) % agents.length] ?? '');
}

/**
 * Other customers' talks, which no request under test may read. `template` is an agent made
 * through the API: seeded agents copy its password hash, a valid document although they never log in.
 */
export function createBackground(db: Db, plan: BackgroundPlan, template: AgentDoc): Background {
  const talksPerCustomer = Math.ceil(plan.talks / plan.customers);
  const customers = new Map<number, SeededCustomer>();
  const firstAt = Date.now() - 90 * 24 * 3_600_000;
  let seeded = 0;

  async function customer(writer: Writer, c: number): Promise<SeededCustomer> {
    const known = customers.get(c);
    if (known !== undefined) return known;
    const at = new Date(firstAt);
    const customerId = newId();
    await writer.customers.add({
      _id: customerId,
      name: `Background ${c}`,
      // As the API stores it: the SHA-256 of an accesskey that is never shown to anyone.
      accesskey_hash: createHash('sha256').update(randomUUID()).digest('hex'),
      tm_create: at,
    });
    const ids: string[] = [];
    for (let a = 0; a < plan.agentsPerCustomer; a += 1) {
      const id = newId();
      ids.push(id);
      await writer.agents.add({ ...template, _id: id, customer_id: customerId, username: `agent.${a}`, name: `Agent ${c}.${a}`, tm_create: at });
    }
    const seededCustomer = { id: customerId, agentIds: ids };
    customers.set(c, seededCustomer);
    return seededCustomer;
  }

  return {
    async growTo(talks) {
      if (talks > plan.talks) throw new Error(`the background holds at most ${plan.talks} talks`);
      return writeInBatches(db, async (writer) => {
        for (; seeded < talks; seeded += 1) {
          const c = Math.floor(seeded / talksPerCustomer);
          const owner = await customer(writer, c);
          const members = membersOf(seeded, owner.agentIds);
          await writeTalk(writer, {
            id: newId(),
            customerId: owner.id,
            name: `Background ${c}.${seeded}`,
            members,
            messages: plan.eventsPerTalk - eventsOf(members.length, 0),
            createdAt: new Date(firstAt + seeded * plan.eventsPerTalk * EVENT_SPACING_MS),
          });
        }
      });
    },
    talks: () => seeded,
  };
}
