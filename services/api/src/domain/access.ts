/**
 * Who may see and change a talk. Anything a caller may not see answers NOT_FOUND, exactly like
 * an id that does not exist, so ids of other customers' talks leak nothing.
 */
import { AppError, notFound } from '@talk/shared/errors';
import type { ParticipantDoc, TalkDoc } from '@talk/store/documents';
import type { Caller } from './caller';
import type { TalkDeps } from './context';

export interface TalkAccess {
  readonly talk: TalkDoc;
  readonly participant: ParticipantDoc;
}

/** The caller is, or was, a participant: it may read (a left participant up to when it left). */
export async function requireReader(deps: TalkDeps, caller: Caller, talkId: string): Promise<TalkAccess> {
  // Both reads at once: each is a round trip, and every write checks access first.
  const [talk, participant] = await Promise.all([
    deps.store.talks.findTalk(caller.customerId, talkId),
    deps.store.talks.findParticipant(talkId, caller.agentId),
  ]);
  if (talk === null || participant === null) throw notFound(`talk ${talkId}`);
  return { talk, participant };
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
