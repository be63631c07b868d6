/**
 * What every service opens at start-up: MongoDB, NATS, the data layer and the change recorder.
 * Every service also ensures the indexes and the event stream, so that no start order matters.
 * A failure part-way closes whatever was already open.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, createEventPublisher, ensureEventStream } from '@talk/shared/bus';
import type { CommonConfig } from '@talk/shared/config';
import type { ReadinessProbe } from '@talk/shared/health';
import type { StopStep } from '@talk/shared/lifecycle';
import type { Logger } from '@talk/shared/logger';
import { createSubjects, type Subjects } from '@talk/shared/subjects';
import { connectDatabase, ensureIndexes, type Database } from './database';
import { createChangeRecorder, type ChangeRecorder } from './recorder';
import { createStore, type Store } from './store';

export interface DataPlane {
  readonly database: Database;
  readonly nc: NatsConnection;
  readonly subjects: Subjects;
  readonly store: Store;
  readonly recorder: ChangeRecorder;
  /** Whether MongoDB and NATS answer now. */
  readonly readiness: ReadinessProbe;
  /** Drain NATS, then close MongoDB: the last steps of a service's shutdown. */
  readonly stopSteps: readonly StopStep[];
}

export async function openDataPlane(config: CommonConfig, appName: string, log: Logger): Promise<DataPlane> {
  const database = await connectDatabase(config.mongo.url, config.mongo.db, appName);
  let nc: NatsConnection | undefined;
  try {
    await ensureIndexes(database.db);
    nc = await connectNats(config.nats.url, appName, log);
    const subjects = createSubjects(config.nats.subjectPrefix);
    await ensureEventStream(nc, subjects);
    const store = createStore(database.db);
    const connection = nc;
    return {
      database,
      nc: connection,
      subjects,
      store,
      recorder: createChangeRecorder(store.events, store.projector, createEventPublisher(connection, subjects)),
      readiness: async () => ({ mongo: await database.ping(), nats: !connection.isClosed() && !connection.isDraining() }),
      stopSteps: [
        { name: 'nats', run: () => connection.drain() },
        { name: 'mongo', run: () => database.close() },
      ],
    };
  } catch (error) {
    await nc?.close();
    await database.close();
    throw error;
  }
}
