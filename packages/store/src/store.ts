import type { Db } from 'mongodb';
import { createEventLog, type EventLog } from './event-log';
import { createIdentityStore, type IdentityStore } from './identity-store';
import { createMessageStore, type MessageStore } from './message-store';
import { createProjector, type Projector } from './projector';
import { createTalkStore, type TalkStore } from './talk-store';

/** Every data-layer component over one database. */
export interface Store {
  readonly identity: IdentityStore;
  readonly talks: TalkStore;
  readonly messages: MessageStore;
  readonly events: EventLog;
  readonly projector: Projector;
}

export function createStore(db: Db): Store {
  const talks = createTalkStore(db);
  const messages = createMessageStore(db);
  return {
    identity: createIdentityStore(db),
    talks,
    messages,
    events: createEventLog(db),
    projector: createProjector(db, talks, messages),
  };
}
