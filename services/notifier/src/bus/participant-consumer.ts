/**
 * Reads participant events through a JetStream durable pull consumer: explicit acks, redelivery
 * of whatever was not acknowledged, and work shared by every replica bound to the same durable.
 * An event is acknowledged only after its system message is recorded; a failure asks for
 * redelivery after a pause. A notifier that was down resumes where the durable left off.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, JetStreamApiError, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { REQUEST_ID_HEADER } from '@talk/shared/bus';
import { isParticipantEvent, parseEventJson, type ParticipantEvent } from '@talk/shared/events';
import type { Logger } from '@talk/shared/logger';
import type { Subjects } from '@talk/shared/subjects';

const ACK_WAIT_MS = 30_000;
const RETRY_DELAY_MS = 1_000;

export type ParticipantEventHandler = (event: ParticipantEvent, log: Logger, requestId?: string) => Promise<void>;

export interface ParticipantConsumer {
  /** Stops pulling and resolves once the event in hand is handled. */
  stop(): Promise<void>;
}

async function ensureDurable(nc: NatsConnection, subjects: Subjects, durable: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(ACK_WAIT_MS),
  };
  try {
    await jsm.consumers.info(subjects.streamName, durable);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
    await jsm.consumers.add(subjects.streamName, config);
  }
}

export async function startParticipantConsumer(
  nc: NatsConnection,
  subjects: Subjects,
  durable: string,
  handle: ParticipantEventHandler,
  log: Logger,
): Promise<ParticipantConsumer> {
  await ensureDurable(nc, subjects, durable);
  const consumer = await jetstream(nc).consumers.get(subjects.streamName, durable);
  const messages = await consumer.consume({ max_messages: 64 });

  async function process(msg: JsMsg): Promise<void> {
    const requestId = msg.headers?.get(REQUEST_ID_HEADER) || undefined;
    const msgLog = log.child({ subject: msg.subject, streamSeq: msg.seq, ...(requestId === undefined ? {} : { requestId }) });
    const parsed = parseEventJson(msg.string());
    if (parsed.kind !== 'event' || !isParticipantEvent(parsed.event)) {
      // Nothing a retry could fix: acknowledge it so that it is not redelivered forever.
      msgLog.warn({ parsed }, 'skipped a message that is not a known participant event');
      msg.ack();
      return;
    }
    try {
      await handle(parsed.event, msgLog.child({ talkId: parsed.event.talk_id, eventId: parsed.event.id }), requestId);
      msg.ack();
    } catch (error) {
      msgLog.error({ err: error, redelivered: msg.redelivered }, 'participant event failed; asking for redelivery');
      msg.nak(RETRY_DELAY_MS);
    }
  }

  const loop = (async () => {
    for await (const msg of messages) await process(msg);
  })();

  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}
