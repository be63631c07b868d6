/** Keys of the unique `pair_key` index on talks (see packages/store/src/documents.ts). */
import type { TalkDoc } from '@talk/store/documents';

/** While a direct talk is active, its key names its customer and both agents. */
export const directPairKey = (customerId: string, a: string, b: string): string =>
  `direct:${customerId}:${[a, b].sort().join(':')}`;

/** Every other talk, and a closed direct talk, holds a key of its own that blocks nothing. */
export const ownPairKey = (talk: Pick<TalkDoc, '_id' | 'status'>): string => `${talk.status === 'closed' ? 'closed' : 'talk'}:${talk._id}`;
