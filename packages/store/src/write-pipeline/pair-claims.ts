/**
 * The log of claims on each direct pair (two agents of one customer): who may be the pair's one
 * active direct talk is a decision across talks, so it has a log of its own, ordered like a talk's
 * by a unique number per entry (`_id` is `<pair key>#<n>`). A claim is recorded before the talk's
 * own events and says which events make its talk the pair's active one, so any writer can finish
 * what a claimant that died left undone (services/api/src/domain/direct-pairs.ts decides on it).
 * Entries are only ever inserted: the one compare-and-set FerretDB v1 keeps isolated.
 */
import type { Collection, Db } from 'mongodb';
import { Participant, Talk } from '@talk/shared/schemas';
import { z } from 'zod';
import type { PairClaim } from '@talk/decisions/pair-opening';
import { COLLECTIONS } from '../documents';
import { isDuplicateKey } from '../mongo-errors';

export interface PairClaims {
  /** The pair's newest claim; null when the pair was never claimed. */
  newest(pairKey: string): Promise<PairClaim | null>;
  /** Records the claim at its position; false when that position is taken (decide again on the newest). */
  record(claim: PairClaim): Promise<boolean>;
}

interface PairClaimDoc {
  _id: string;
  pair_key: string;
  n: number;
  talk_id: string;
  /** A `PairOpening` as JSON text: written once, read whole, never queried inside. */
  opening: string;
}

const Opening = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create'), talk: Talk, members: Participant.array(), eventIds: z.string().array() }),
  z.object({ kind: z.literal('reopen'), eventId: z.string(), at: z.string() }),
]);

export function createPairClaims(db: Db): PairClaims {
  const claims: Collection<PairClaimDoc> = db.collection(COLLECTIONS.pairClaims);
  return {
    async newest(pairKey) {
      // A pair's log grows by one entry per time its direct talk is opened: a handful.
      const doc = await claims.find({ pair_key: pairKey }).sort({ n: -1 }).limit(1).next();
      if (doc === null) return null;
      return { pairKey: doc.pair_key, n: doc.n, talkId: doc.talk_id, opening: Opening.parse(JSON.parse(doc.opening)) };
    },
    async record(claim) {
      try {
        await claims.insertOne({
          _id: `${claim.pairKey}#${claim.n}`,
          pair_key: claim.pairKey,
          n: claim.n,
          talk_id: claim.talkId,
          opening: JSON.stringify(claim.opening),
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
  };
}
