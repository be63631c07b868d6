/**
 * Who may see and change a talk. Anything a caller may not see answers NOT_FOUND, exactly like
 * an id that does not exist, so ids of other customers' talks leak nothing.
 */
import { AppError, notFound } from '@talk/shared/errors';
import type { Caller } from './caller';
import type { TalkDeps } from './context';
import type { Membership, StoredTalk } from './ports';

export interface TalkAccess {
  readonly talk: StoredTalk;
  readonly membership: Membership;
}

/** The caller is, or was, a participant: it may read (a left participant up to when it left). */
export async function requireReader(deps: TalkDeps, caller: Caller, talkId: string): Promise<TalkAccess> {
  // Both reads at once: each is a round trip, and every write checks access first.
  const [talk, membership] = await Promise.all([
    deps.talks.findTalk(caller.customerId, talkId),
    deps.talks.findMembership(talkId, caller.agentId),
  ]);
  if (talk === null || membership === null) throw notFound(`talk ${talkId}`);
  return { talk, membership };
}

/**
 * For a `.catch` on an access check about a message: a talk the caller may not see hides its
 * messages too, so its NOT_FOUND names the message. Any other failure (an outage) keeps its meaning.
 */
export function notFoundAs(what: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw notFound(what);
    throw error;
  };
}
