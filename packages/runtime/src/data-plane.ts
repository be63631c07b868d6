/**
 * What every service opens at start-up: MongoDB, NATS, the data layer and the change recorder.
 * Every service also ensures the indexes and the event stream, so that no start order matters.
 * Each dependency is retried until it answers (`progress` says which already do), so a service
 * can start before its dependencies and report "not ready" meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, createEventPublisher, ensureEventStream, type EventPublisher } from '@talk/shared/bus';
import type { CommonConfig } from '@talk/shared/config';
import type { StopStep } from '@talk/shared/lifecycle';
import type { Logger } from '@talk/shared/logger';
import { retryUntilDone } from '@talk/shared/retry';
import { createSubjects, type Subjects } from '@talk/shared/subjects';
import { systemClock } from '@talk/shared/time';
import { startOutboxRelay, type OutboxRelay } from '@talk/store/write-pipeline/outbox-relay';
import { createRelayLease } from '@talk/store/write-pipeline/relay-lease';
import { ensureIndexes } from '@talk/store/database';
import { connectDatabase, type Database } from './database';
import { createProgressNotes, type ProgressNotes } from '@talk/store/write-pipeline/progress-notes';
import { createChangeRecorder, type ChangeRecorder } from '@talk/store/write-pipeline/recorder';
import { createStore, type Store } from '@talk/store/store';

/**
 * A relay lease lasts five relay intervals (2 s at least): long enough that the holder does a few
 * passes in it, short enough that a dead holder's work is taken over soon.
 */
const relayLeaseWindowMs = (intervalMs: number): number => Math.max(5 * intervalMs, 2_000);

export interface DataPlane {
  readonly database: Database;
  readonly nc: NatsConnection;
  readonly subjects: Subjects;
  readonly store: Store;
  readonly recorder: ChangeRecorder;
  readonly publisher: EventPublisher;
  /** The recorder's notes of event progress, written off the request path; closed on shutdown. */
  readonly progressNotes: ProgressNotes;
  /** Whether MongoDB and NATS answer now. */
  readiness(): Promise<Readonly<Record<'mongo' | 'nats', boolean>>>;
}

/** Which dependencies answered so far, while the data plane is being opened. */
export interface OpeningProgress {
  mongo: boolean;
  nats: boolean;
}

async function connectMongo(config: CommonConfig, appName: string): Promise<Database> {
  const database = await connectDatabase(config.mongo.url, config.mongo.db, appName);
  try {
    await ensureIndexes(database.db);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function connectBus(config: CommonConfig, subjects: Subjects, appName: string, log: Logger): Promise<NatsConnection> {
  const nc = await connectNats(config.nats.url, appName, log);
  try {
    await ensureEventStream(nc, subjects);
    return nc;
  } catch (error) {
    await nc.close();
    throw error;
  }
}

export async function openDataPlane(
  config: CommonConfig,
  appName: string,
  log: Logger,
  signal: AbortSignal,
  progress: OpeningProgress = { mongo: false, nats: false },
): Promise<DataPlane> {
  const subjects = createSubjects(config.nats.subjectPrefix);
  const database = await retryUntilDone('MongoDB', () => connectMongo(config, appName), log, signal);
  progress.mongo = true;
  let nc: NatsConnection;
  try {
    nc = await retryUntilDone('NATS', () => connectBus(config, subjects, appName, log), log, signal);
  } catch (error) {
    await database.close();
    throw error;
  }
  progress.nats = true;
  const connection = nc;
  const store = createStore(database.db);
  const publisher = createEventPublisher(connection, subjects);
  const progressNotes = createProgressNotes(store.events, log);
  return {
    database,
    nc: connection,
    subjects,
    store,
    publisher,
    progressNotes,
    recorder: createChangeRecorder({ events: store.events, projector: store.projector, publisher, progress: progressNotes }),
    readiness: async () => ({ mongo: await database.ping(), nats: !connection.isClosed() && !connection.isDraining() }),
  };
}

export interface StartingDataPlane {
  /**
   * Resolves once the plane is open and `onOpen` has finished, or once start-up was abandoned;
   * rejects when start-up failed for good (not for a dependency that is slow: those are retried).
   */
  readonly ready: Promise<void>;
  /** `mongo`, `nats`: whether each answers; `started`: whether the service finished starting. */
  readiness(): Promise<Readonly<Record<string, boolean>>>;
  /** The first step of a shutdown: abandon start-up if it still runs. */
  readonly abandonStartup: StopStep;
  /** The last steps of a shutdown: drain NATS, close MongoDB. */
  readonly closeSteps: readonly StopStep[];
}

/**
 * Opens the data plane in the background and calls `onOpen` with it, so that a service can listen
 * (and answer `/readyz` with 503) before its dependencies are up. A service that records events
 * (`records`) also runs the outbox relay. `onOpen` gets the start-up signal
 * for steps of its own that need retrying.
 */
export function startDataPlane(
  config: CommonConfig,
  appName: string,
  log: Logger,
  onOpen: (plane: DataPlane, signal: AbortSignal) => Promise<void>,
  options: { readonly records: boolean } = { records: true },
): StartingDataPlane {
  const startup = new AbortController();
  const progress: OpeningProgress = { mongo: false, nats: false };
  let plane: DataPlane | undefined;
  let relay: OutboxRelay | undefined;
  let started = false;

  const ready = (async () => {
    plane = await openDataPlane(config, appName, log, startup.signal, progress);
    if (options.records) {
      const { store, publisher, database } = plane;
      const lease = createRelayLease(database.db, 'outbox', `${appName}-${randomUUID()}`, relayLeaseWindowMs(config.outbox.intervalMs), systemClock);
      relay = startOutboxRelay({ events: store.events, projector: store.projector, publisher, lease, clock: systemClock, log }, { ...config.outbox, batch: 100 });
    }
    await onOpen(plane, startup.signal);
    started = true;
    log.info('ready');
  })().catch((error: unknown) => {
    if (startup.signal.aborted) {
      log.info('start-up abandoned');
      return;
    }
    // Dependencies that are slow never get here (they are retried): this is a failure that a
    // restart may cure, and the process edge exits for its supervisor to do that.
    throw new Error(`${appName} could not start`, { cause: error });
  });

  return {
    ready,
    async readiness() {
      if (plane === undefined) return { ...progress, started };
      return { ...(await plane.readiness()), started };
    },
    abandonStartup: {
      name: 'startup',
      run: async () => {
        startup.abort(new Error('stopping'));
        await ready;
      },
    },
    closeSteps: [
      { name: 'outbox relay', run: () => relay?.stop() ?? Promise.resolve() },
      { name: 'progress notes', run: () => plane?.progressNotes.close() ?? Promise.resolve() },
      { name: 'nats', run: () => plane?.nc.drain() ?? Promise.resolve() },
      { name: 'mongo', run: () => plane?.database.close() ?? Promise.resolve() },
    ],
  };
}
