/**
 * NATS plumbing shared by the services that publish talk events (api, notifier) and consume them
 * (gateway, notifier): connecting, the event stream's definition, and the event publisher.
 */
import { jetstream, jetstreamManager, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import {
  ClosedConnectionError,
  connect,
  ConnectionError,
  DrainingConnectionError,
  headers,
  InvalidArgumentError,
  nanos,
  NoRespondersError,
  PermissionViolationError,
  TimeoutError,
  type NatsConnection,
} from '@nats-io/transport-node';
import { isParticipantEvent, type TalkChangeEvent } from './events';
import { withTimeout } from './lifecycle';
import type { Logger } from './logger';
import type { Subjects } from './subjects';

export const REQUEST_ID_HEADER = 'x-request-id';

/** How long the stream keeps participant events: long enough to outlive a notifier outage. */
const STREAM_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
/** How long a request waits for the stream's ack before leaving the event to the outbox relay. */
const PUBLISH_TIMEOUT_MS = 2_000;

export async function connectNats(url: string, name: string, log: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  void (async () => {
    for await (const status of nc.status()) {
      log.info({ status: status.type }, 'nats status');
    }
  })();
  return nc;
}

/** Creates the participant event stream, or brings an existing one to this definition. */
export async function ensureEventStream(nc: NatsConnection, subjects: Subjects): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    subjects: [...subjects.streamSubjects],
    max_age: nanos(STREAM_MAX_AGE_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    await jsm.streams.info(subjects.streamName);
    await jsm.streams.update(subjects.streamName, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
    await jsm.streams.add({ name: subjects.streamName, ...config });
  }
}

export interface EventPublisher {
  /**
   * Publishes a recorded event to `talk.<id>.<type>` (through JetStream where the stream keeps
   * it) and, for participant events, to `agent.<agent_id>.talks`. Resolves once the server has it.
   * Throws `EventRejectedError` when NATS refuses this event itself; any other error (NATS away,
   * a timeout) says nothing about the event and is worth a retry.
   */
  publish(event: TalkChangeEvent, requestId?: string): Promise<void>;
}

/** NATS refused one event for what it is (too large, or rejected by the stream): retrying cannot help. */
export class EventRejectedError extends Error {
  override readonly name = 'EventRejectedError';

  constructor(
    readonly eventId: string,
    options: { readonly cause: unknown },
  ) {
    super(`NATS refused event ${eventId}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
  }
}

/** Errors that mean "NATS cannot be reached right now": worth a retry after a pause. */
export function isBusUnavailable(error: unknown): boolean {
  return (
    error instanceof ConnectionError ||
    error instanceof ClosedConnectionError ||
    error instanceof DrainingConnectionError ||
    error instanceof NoRespondersError ||
    error instanceof TimeoutError
  );
}

/**
 * Errors about the message itself, as opposed to the connection: a payload over `max_payload`, a
 * subject the account may not publish to, a stream that refuses it (its `max_msg_size`, say).
 */
const refusesTheMessage = (error: unknown): boolean =>
  error instanceof InvalidArgumentError || error instanceof PermissionViolationError || error instanceof JetStreamApiError;

export function createEventPublisher(nc: NatsConnection, subjects: Subjects): EventPublisher {
  const js: JetStreamClient = jetstream(nc);

  async function send(event: TalkChangeEvent, requestId: string | undefined): Promise<void> {
    const payload = JSON.stringify(event);
    const hdrs = headers();
    if (requestId !== undefined) hdrs.set(REQUEST_ID_HEADER, requestId);
    const subject = subjects.talkEvent(event.talk_id, event.type);
    if (subjects.isStreamed(event.type)) {
      await js.publish(subject, payload, { msgID: event.id, headers: hdrs, timeout: PUBLISH_TIMEOUT_MS });
    } else {
      nc.publish(subject, payload, { headers: hdrs });
    }
    if (isParticipantEvent(event)) {
      nc.publish(subjects.agentTalks(event.data.agent_id), payload, { headers: hdrs });
    }
    // While NATS is away a flush waits for the reconnect: bounded, the relay takes over after.
    await withTimeout(nc.flush(), PUBLISH_TIMEOUT_MS, 'publishing to NATS');
  }

  return {
    async publish(event, requestId) {
      try {
        await send(event, requestId);
      } catch (error) {
        if (refusesTheMessage(error)) throw new EventRejectedError(event.id, { cause: error });
        throw error;
      }
    },
  };
}
