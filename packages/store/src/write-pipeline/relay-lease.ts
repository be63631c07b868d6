/**
 * Which of the writers' outbox relays works right now, so that several API replicas do not all
 * scan and publish the same pending events. Time is cut into windows; the first relay to insert
 * the window's lease document holds the lease for that window, the others skip their passes. An
 * insert under a unique `_id` is the one compare-and-set FerretDB v1 keeps isolated
 * (docs/storage.md), so it is the claim.
 *
 * The lease only saves work; correctness never depends on it. A relay whose holder died takes
 * over at the next window; two holders at once (clocks apart by more than a window) publish
 * copies that JetStream drops by `Nats-Msg-Id` and gateways drop by `(talk_id, seq)`.
 */
import type { Collection, Db } from 'mongodb';
import type { Clock } from '@talk/shared/time';
import { COLLECTIONS, type RelayLeaseDoc } from '../documents';
import { isDuplicateKey } from '../mongo-errors';

export interface RelayLease {
  /** True when this relay holds the lease for the current window (claiming it if it is free). */
  held(): Promise<boolean>;
}

/** Lease documents older than this many windows are removed by the next holder. */
const KEEP_WINDOWS = 10;

export function createRelayLease(db: Db, name: string, holder: string, windowMs: number, clock: Clock): RelayLease {
  const leases: Collection<RelayLeaseDoc> = db.collection(COLLECTIONS.relayLeases);
  let known: { readonly window: number; readonly held: boolean } | undefined;

  async function claim(window: number): Promise<boolean> {
    try {
      await leases.insertOne({ _id: `${name}:${window}`, name, window, holder, tm_create: clock() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const current = await leases.findOne({ _id: `${name}:${window}` });
      return current?.holder === holder;
    }
    await leases.deleteMany({ name, window: { $lt: window - KEEP_WINDOWS } });
    return true;
  }

  return {
    async held() {
      const window = Math.floor(clock().getTime() / windowMs);
      if (known?.window !== window) known = { window, held: await claim(window) };
      return known.held;
    },
  };
}
