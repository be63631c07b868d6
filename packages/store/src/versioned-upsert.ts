/**
 * Projections write absolute values taken from an event, guarded by the seq of the newest event
 * applied to the document (`version_seq`), so that applying an event twice, late, or again after
 * a crash leaves the same state.
 */
import type { Collection, Filter, UpdateFilter } from 'mongodb';
import { isDuplicateKey } from './mongo-errors';

/**
 * An update that creates the document when it is missing. When a newer event was applied already,
 * the filter matches nothing and the upsert's insert meets the existing `_id`: nothing to do.
 */
export async function upsertNotNewer<T extends { _id: string }>(collection: Collection<T>, filter: Filter<T>, update: UpdateFilter<T>): Promise<void> {
  try {
    await collection.updateOne(filter, update, { upsert: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** Matches the document only if no event newer than `seq` was applied to it. */
export const notNewerThan = (seq: number) => ({ $or: [{ version_seq: { $exists: false } }, { version_seq: { $lt: seq } }] });
