import type { Db } from 'mongodb';
import { createEventLog, type EventLog } from './write-pipeline/event-log';
import { createIdentityStore, type IdentityStore } from './identity-store';
import { createMessageStore, type MessageStore } from './message-store';
import { createMessageViews, type MessageViews } from './message-views';
import { createPairClaims, type PairClaims } from './write-pipeline/pair-claims';
import { createProjector, type Projector } from './write-pipeline/projector';
import { createReactionStore, type ReactionStore } from './reaction-store';
import { createReadStates, type ReadStates } from './read-state/read-states';
import { createTalkStore, type TalkStore } from './talk-store';

/** Every data-layer component over one database. */
export interface Store {
  readonly identity: IdentityStore;
  readonly talks: TalkStore;
  readonly pairClaims: PairClaims;
  readonly messages: MessageStore;
  readonly reactions: ReactionStore;
  readonly messageViews: MessageViews;
  readonly events: EventLog;
  readonly projector: Projector;
  readonly readStates: ReadStates;
}

export function createStore(db: Db): Store {
  const talks = createTalkStore(db);
  const messages = createMessageStore(db);
  const reactions = createReactionStore(db);
  return {
    identity: createIdentityStore(db),
    talks,
    pairClaims: createPairClaims(db),
    messages,
    reactions,
    messageViews: createMessageViews(db, reactions),
    events: createEventLog(db),
    projector: createProjector(db, talks, messages, reactions),
    readStates: createReadStates(db),
  };
}
