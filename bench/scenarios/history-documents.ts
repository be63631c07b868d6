/**
 * The stored documents of a talk's finished history, for the history benchmark to insert straight
 * into MongoDB. The events come from the drafts the API records (packages/decisions/src/drafts.ts) and
 * are stored as event-log.ts stores them; the projections are what projector.ts leaves behind
 * (wire.ts turns each message into its document). Building on the store's own functions keeps the
 * shapes from drifting away from what the services write.
 *
 * Seeded events are done with: applied and published, and without the relay's `pending` mark, so
 * that no outbox relay ever has work with them.
 */
import { idFromKey, newId } from '@talk/shared/ids';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { EventDoc, MessageDoc, ParticipantDoc, TalkDoc } from '@talk/store/documents';
import { messageCreatedDraft, newMessage, participantDraft, talkDraft } from '@talk/decisions/drafts';
import { eventDocOf } from '@talk/store/write-pipeline/event-docs';
import type { TalkStateDoc } from '@talk/store/write-pipeline/talk-states';
import { messageDocFrom, toParticipant, toTalk } from '@talk/store/wire';
import { messageText } from '../load/rest-texts';

export interface TalkPlan {
  readonly id: string;
  readonly customerId: string;
  readonly name: string;
  /** Agent ids; the first one creates the talk and adds the others. */
  readonly members: readonly string[];
  readonly messages: number;
  /** When the talk was created; its events follow one another EVENT_SPACING_MS apart. */
  readonly createdAt: Date;
}

/** One recorded change: its event, and the message document it projects to, if any. */
export interface HistoryEntry {
  readonly event: EventDoc;
  readonly message?: MessageDoc;
}

export interface SeededTalk {
  readonly talk: TalkDoc;
  readonly participants: readonly ParticipantDoc[];
  /** The talk's state snapshot at its last seq (talk-states.ts), as writers leave it. */
  readonly state: TalkStateDoc;
  /** Its events in seq order, each with its message document. */
  history(): Generator<HistoryEntry, void, undefined>;
}

export const EVENT_SPACING_MS = 20_000;
/** Every REPLY_EVERY-th message answers in the thread of the newest top-level message. */
const REPLY_EVERY = 10;

/** Events of a talk of `members` people with `messages` messages: created, joined, messages. */
export const eventsOf = (members: number, messages: number): number => 1 + members + messages;

/** An event as the log keeps it once applied and published. */
export function storedEvent(event: TalkChangeEvent): EventDoc {
  const { pending: _pending, ...finished } = eventDocOf(event);
  return { ...finished, applied: true, published: true };
}

const atSeq = (plan: TalkPlan, seq: number): Date => new Date(plan.createdAt.getTime() + (seq - 1) * EVENT_SPACING_MS);

function createdTalk(plan: TalkPlan): TalkDoc {
  const [creator] = plan.members;
  if (creator === undefined) throw new Error(`talk ${plan.name} needs a member`);
  return {
    _id: plan.id,
    customer_id: plan.customerId,
    type: 'group',
    name: plan.name,
    status: 'active',
    creator_id: creator,
    last_message_at: null,
    tm_create: plan.createdAt,
    tm_update: plan.createdAt,
  };
}

function joinedParticipants(plan: TalkPlan): ParticipantDoc[] {
  return plan.members.map((agentId, i) => ({
    _id: newId(),
    talk_id: plan.id,
    agent_id: agentId,
    status: 'active',
    tm_joined: plan.createdAt,
    tm_left: null,
    left_at_seq: null,
    // The projector notes the seq of the join it applied: the talk_created event is seq 1.
    version_seq: 2 + i,
  }));
}

/** Message n (from 0) answers in the thread of the newest top-level message; message 0 never does. */
const isReply = (n: number): boolean => n % REPLY_EVERY === REPLY_EVERY - 1;

function* history(plan: TalkPlan, talk: TalkDoc, participants: readonly ParticipantDoc[]): Generator<HistoryEntry, void, undefined> {
  yield { event: storedEvent(talkDraft('talk_created', toTalk(talk, participants.length), plan.createdAt).build(1)) };
  for (const [i, participant] of participants.entries()) {
    const reason = participant.agent_id === talk.creator_id ? 'joined' : 'added';
    yield { event: storedEvent(participantDraft('participant_joined', toParticipant(participant), reason, plan.createdAt).build(2 + i)) };
  }
  let threadRoot: string | null = null;
  for (let n = 0; n < plan.messages; n += 1) {
    const seq = eventsOf(plan.members.length, n + 1);
    const agentId = plan.members[n % plan.members.length] ?? talk.creator_id;
    // As the API derives them from the client_message_id the reference client sends.
    const clientMessageId = newId();
    const event = messageCreatedDraft(
      newMessage({
        id: idFromKey('message', plan.id, agentId, clientMessageId),
        talkId: plan.id,
        type: 'normal',
        agentId,
        clientMessageId,
        text: messageText(n),
        parentId: isReply(n) ? threadRoot : null,
        medias: [],
        mentionIds: [],
        at: atSeq(plan, seq),
      }),
      idFromKey('message_created', plan.id, agentId, clientMessageId),
    ).build(seq);
    if (event.type !== 'message_created') throw new Error('a message draft built another kind of event');
    if (!isReply(n)) threadRoot = event.data.id;
    yield { event: storedEvent(event), message: messageDocFrom(event.data) };
  }
}

function lastTopLevelSeq(plan: TalkPlan): number | undefined {
  for (let n = plan.messages - 1; n >= 0; n -= 1) if (!isReply(n)) return eventsOf(plan.members.length, n + 1);
  return undefined;
}

/**
 * The talk as it stands after its whole history was applied (the projector's touches leave the
 * newest event's time and the newest top-level message's), and that history, built lazily on
 * each call: a big talk's events are inserted as they are made, never all held at once.
 */
export function seededTalk(plan: TalkPlan): SeededTalk {
  const created = createdTalk(plan);
  const participants = joinedParticipants(plan);
  const lastSeq = eventsOf(plan.members.length, plan.messages);
  const lastTopLevel = lastTopLevelSeq(plan);
  const talk: TalkDoc = {
    ...created,
    last_message_at: lastTopLevel === undefined ? null : atSeq(plan, lastTopLevel),
    tm_update: atSeq(plan, lastSeq),
    version_seq: 1,
  };
  return {
    talk,
    participants,
    state: { _id: plan.id, seq: lastSeq, talk: toTalk(talk, participants.length), members: JSON.stringify(participants.map(toParticipant)) },
    history: () => history(plan, created, participants),
  };
}
