/**
 * Sees whether a request wrote anything: a fingerprint of the whole test database, taken before
 * and after a refused request. Read from MongoDB itself, so that a write to any collection by any
 * route is seen, including a route the fuzzer was never told about. Cheap enough for every
 * request: each collection's size, and the content only where a request changes documents in place
 * without an event (every change of a talk, its participants, messages and reactions appends an
 * event, so the event log's size shows it).
 */
import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { COLLECTIONS } from '@talk/store/documents';

/** Collections whose documents a request changes in place without an event (a deactivation). */
const COMPARED_WHOLE = [COLLECTIONS.customers, COLLECTIONS.agents];

/** Written by the outbox relay on its own schedule, never by a request. */
const NOT_WRITTEN_BY_REQUESTS = new Set<string>([COLLECTIONS.relayLeases]);

export type Fingerprint = Readonly<Record<string, string>>;

export async function fingerprint(db: Db): Promise<Fingerprint> {
  const counted = Object.values(COLLECTIONS).filter((name) => !NOT_WRITTEN_BY_REQUESTS.has(name));
  const counts = counted.map(async (name) => [`${name} count`, String(await db.collection(name).countDocuments())] as const);
  const contents = COMPARED_WHOLE.map(async (name) => {
    const documents = await db.collection(name).find().sort({ _id: 1 }).toArray();
    return [`${name} content`, createHash('sha256').update(JSON.stringify(documents)).digest('hex')] as const;
  });
  return Object.fromEntries(await Promise.all([...counts, ...contents]));
}

/** What differs between two fingerprints, as readable lines; empty when nothing was written. */
export function differences(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys({ ...before, ...after })
    .filter((key) => before[key] !== after[key])
    .map((key) => `${key}: ${before[key] ?? 'none'} → ${after[key] ?? 'none'}`);
}
