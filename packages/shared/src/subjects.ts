/**
 * The only place that builds NATS subjects. Every subject starts with an optional prefix
 * (`NATS_SUBJECT_PREFIX`), so that test suites and several deployments can share one NATS server.
 */
import type { EventType } from './events';

const STREAMED_TYPES: ReadonlySet<EventType> = new Set(['participant_joined', 'participant_left']);

const TOKEN = /^[A-Za-z0-9_-]+$/;
const PREFIX = /^([A-Za-z0-9_-]+\.)*$/;

function token(value: string, what: string): string {
  if (!TOKEN.test(value)) {
    throw new Error(`${what} "${value}" is not a valid NATS subject token (letters, digits, _ and - only)`);
  }
  return value;
}

export interface Subjects {
  readonly prefix: string;
  /**
   * `talk.<talk_id>.<type>`: every event of the talk, read by gateways as core NATS (at most once
   * per subscription; a gateway fills gaps from the event log by `seq`). Participant events are
   * also stored by the JetStream stream `streamName` (acknowledged on publish, deduplicated by
   * event id in `Nats-Msg-Id`), which the notifier consumes at least once.
   */
  talkEvent(talkId: string, type: EventType): string;
  /** Whether the stream stores this event type, so that publishing it is acknowledged. */
  isStreamed(type: EventType): boolean;
  /** All events of one talk, for a gateway's per-talk subscription. */
  talkEvents(talkId: string): string;
  /**
   * `agent.<agent_id>.talks`: the agent's own `participant_joined` / `participant_left`, core NATS,
   * at most once; a gateway uses it to tell a connected agent about its membership changes.
   */
  agentTalks(agentId: string): string;
  /**
   * `typing.<talk_id>`: who is typing in the talk, core NATS only (never the stream, never the
   * event log): ephemeral, at most once, from the gateway of the typist to every gateway with a
   * subscriber of the talk. Apart from `talk.<id>.*`, which carries only events.
   */
  typing(talkId: string): string;
  /**
   * `read.<talk_id>.<agent_id>`: a read marker moved (its ReadState), core NATS only, from the API
   * that moved it to every gateway: the talk's subscribers hear of it on `read.<talk_id>.*`, the
   * agent's own connections on `read.*.<agent_id>`. Ephemeral like typing.
   */
  read(talkId: string, agentId: string): string;
  readsInTalk(talkId: string): string;
  readsOfAgent(agentId: string): string;
  /**
   * The JetStream stream of participant events. It holds only what a durable consumer needs:
   * the event log in MongoDB is the record of everything. (One stream subject per type, because
   * a consumer with several filter subjects needs nats-server 2.10, and Debian ships 2.9.)
   */
  readonly streamName: string;
  readonly streamSubjects: readonly string[];
  /** The key-value bucket of the records the API replicas share: rate limits, sign-in failures. */
  readonly sharedRecordsBucket: string;
  /**
   * The key-value bucket of presence (`@talk/runtime/nats-presence`): each gateway's heartbeat,
   * the agents connected to it, and the away flags the API writes. Read by watching it whole.
   */
  readonly presenceBucket: string;
}

export function createSubjects(prefix = ''): Subjects {
  if (!PREFIX.test(prefix)) {
    throw new Error(`subject prefix "${prefix}" must be empty or tokens each followed by a dot, like "test1."`);
  }
  const streamSuffix = prefix.replace(/\./g, '_').replace(/_$/, '');
  return {
    prefix,
    talkEvent: (talkId, type) => `${prefix}talk.${token(talkId, 'talk id')}.${type}`,
    talkEvents: (talkId) => `${prefix}talk.${token(talkId, 'talk id')}.*`,
    isStreamed: (type) => STREAMED_TYPES.has(type),
    agentTalks: (agentId) => `${prefix}agent.${token(agentId, 'agent id')}.talks`,
    typing: (talkId) => `${prefix}typing.${token(talkId, 'talk id')}`,
    read: (talkId, agentId) => `${prefix}read.${token(talkId, 'talk id')}.${token(agentId, 'agent id')}`,
    readsInTalk: (talkId) => `${prefix}read.${token(talkId, 'talk id')}.*`,
    readsOfAgent: (agentId) => `${prefix}read.*.${token(agentId, 'agent id')}`,
    streamName: streamSuffix === '' ? 'TALK_PARTICIPANTS' : `TALK_PARTICIPANTS_${streamSuffix}`,
    streamSubjects: [...STREAMED_TYPES].map((type) => `${prefix}talk.*.${type}`),
    sharedRecordsBucket: streamSuffix === '' ? 'TALK_SHARED_RECORDS' : `TALK_SHARED_RECORDS_${streamSuffix}`,
    presenceBucket: streamSuffix === '' ? 'TALK_PRESENCE' : `TALK_PRESENCE_${streamSuffix}`,
  };
}
