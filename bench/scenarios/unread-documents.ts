/**
 * The stored documents of one talk of the unread benchmark: the agent under test creates it, a
 * few colleagues join, and then the colleagues write 0–200 messages the agent has not read: some
 * replies, some mentioning it, a few deleted afterwards. Built like history-documents.ts, from the
 * drafts the API records and the store's own event and message documents; the talk, its
 * participants and its state snapshot are folded from the same events with the decisions' own
 * `foldEvent`, so the log and the projections agree as the write path would leave them.
 *
 * Beside the documents, what the agent's unread counts must come to (@talk/decisions/unread's
 * `countOf` over each message's final version): the scenario checks the API's answers against it.
 */
import { idFromKey, newId } from '@talk/shared/ids';
import type { TalkChangeEvent } from '@talk/shared/events';
import type { Message, Talk } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import { messageChangeDraft, messageCreatedDraft, newMessage, participantDraft, talkDraft } from '@talk/decisions/drafts';
import { emptyTalkState, foldEvent, type TalkState } from '@talk/decisions/talk-state';
import { countOf, type UnreadCounts } from '@talk/decisions/unread';
import type { EventDoc, MessageDoc, ParticipantDoc, TalkDoc } from '@talk/store/documents';
import type { TalkStateDoc } from '@talk/store/write-pipeline/talk-states';
import { messageDocFrom, toParticipant } from '@talk/store/wire';
import { storedEvent } from './history-documents';
import { messageText } from '../load/rest-texts';

export interface UnreadTalkPlan {
  readonly id: string;
  readonly customerId: string;
  readonly name: string;
  /** The agent under test: it creates the talk (seq 2 is its join) and writes nothing after. */
  readonly readerId: string;
  /** Its colleagues in this talk, who write every message. */
  readonly writers: readonly string[];
  readonly messages: number;
  readonly createdAt: Date;
  /** A number in [0, 1) per call: replies, mentions and deletes are drawn from it. */
  readonly random: () => number;
}

export interface UnreadTalk {
  readonly talk: TalkDoc;
  readonly participants: readonly ParticipantDoc[];
  readonly events: readonly EventDoc[];
  /** Each message in its final version, as the projector leaves it. */
  readonly messages: readonly MessageDoc[];
  readonly state: TalkStateDoc;
  /** The reader's counts with its marker at its join, as the contract defines them. */
  readonly expected: UnreadCounts;
}

const EVENT_SPACING_MS = 1_000;
const REPLY_SHARE = 0.15;
const MENTION_SHARE = 0.1;
/** After each message, the chance that one earlier message of the talk is deleted. */
const DELETE_SHARE = 0.03;
/** Replies answer one of the newest few top-level messages. */
const RECENT_ROOTS = 5;

const pick = <T>(items: readonly T[], random: () => number): T | undefined => items[Math.floor(random() * items.length)];

function createdTalk(plan: UnreadTalkPlan, memberCount: number): Talk {
  const at = toTimestamp(plan.createdAt);
  return {
    id: plan.id,
    customer_id: plan.customerId,
    type: 'group',
    name: plan.name,
    status: 'active',
    creator_id: plan.readerId,
    participant_count: memberCount,
    last_message_at: null,
    tm_create: at,
    tm_update: at,
    last_read_seq: null,
    unread_count: null,
    unread_mention_count: null,
  };
}

function joinedParticipants(plan: UnreadTalkPlan): ParticipantDoc[] {
  return [plan.readerId, ...plan.writers].map((agentId, i) => ({
    _id: newId(),
    talk_id: plan.id,
    agent_id: agentId,
    status: 'active',
    tm_joined: plan.createdAt,
    tm_left: null,
    left_at_seq: null,
    // talk_created is seq 1; the projector notes each join's seq as where read state starts.
    joined_seq: 2 + i,
    version_seq: 2 + i,
  }));
}

/** The talk's events in seq order; each message event's message is its version as of then. */
function* changes(plan: UnreadTalkPlan, participants: readonly ParticipantDoc[]): Generator<TalkChangeEvent, void, undefined> {
  let seq = 0;
  const at = (): Date => new Date(plan.createdAt.getTime() + seq * EVENT_SPACING_MS);
  yield talkDraft('talk_created', createdTalk(plan, participants.length), at()).build((seq += 1));
  for (const participant of participants) {
    const reason = participant.agent_id === plan.readerId ? 'joined' : 'added';
    yield participantDraft('participant_joined', toParticipant(participant), reason, at()).build((seq += 1));
  }
  const roots: string[] = [];
  const alive = new Map<string, Message>();
  for (let n = 0; n < plan.messages; n += 1) {
    const agentId = plan.writers[n % plan.writers.length] ?? plan.readerId;
    const clientMessageId = newId();
    const parentId = plan.random() < REPLY_SHARE ? (pick(roots.slice(-RECENT_ROOTS), plan.random) ?? null) : null;
    const mentions = plan.random() < MENTION_SHARE;
    const event = messageCreatedDraft(
      newMessage({
        id: idFromKey('message', plan.id, agentId, clientMessageId),
        talkId: plan.id,
        type: 'normal',
        agentId,
        clientMessageId,
        text: mentions ? `@reader ${messageText(n)}` : messageText(n),
        parentId,
        medias: [],
        mentionIds: mentions ? [plan.readerId] : [],
        at: at(),
      }),
      idFromKey('message_created', plan.id, agentId, clientMessageId),
    ).build((seq += 1));
    if (event.type !== 'message_created') throw new Error('a message draft built another kind of event');
    yield event;
    if (parentId === null) roots.push(event.data.id);
    alive.set(event.data.id, event.data);
    if (plan.random() >= DELETE_SHARE) continue;
    const doomed = pick([...alive.values()], plan.random);
    if (doomed === undefined) continue;
    alive.delete(doomed.id);
    // The tombstone as message-changes.ts leaves it.
    const tombstone: Message = { ...doomed, text: '', medias: [], reactions: [], mention_ids: [], deleted: true, tm_update: toTimestamp(at()) };
    yield messageChangeDraft('message_deleted', tombstone).build((seq += 1));
  }
}

const snapshotOf = (state: TalkState): TalkStateDoc => ({
  _id: state.talkId,
  seq: state.seq,
  talk: state.talk,
  members: JSON.stringify([...state.members.values()]),
  member_seqs: JSON.stringify([...state.memberSeqs]),
});

export function unreadTalk(plan: UnreadTalkPlan): UnreadTalk {
  const participants = joinedParticipants(plan);
  const events: EventDoc[] = [];
  const messages = new Map<string, MessageDoc>();
  let state = emptyTalkState(plan.id);
  let unread = 0;
  let mentions = 0;
  const finals = new Map<string, Message>();
  for (const event of changes(plan, participants)) {
    state = foldEvent(state, event);
    events.push(storedEvent(event));
    if (event.type === 'message_created' || event.type === 'message_deleted') {
      messages.set(event.data.id, { ...messageDocFrom(event.data), version_seq: event.seq });
      finals.set(event.data.id, event.data);
    }
  }
  for (const message of finals.values()) {
    const counts = countOf(message, plan.readerId);
    unread += counts.unread;
    mentions += counts.mentions;
  }
  const talk = state.talk;
  if (talk === null) throw new Error(`talk ${plan.id} folded to nothing`);
  return {
    talk: {
      _id: plan.id,
      customer_id: plan.customerId,
      type: 'group',
      name: plan.name,
      status: 'active',
      creator_id: plan.readerId,
      last_message_at: talk.last_message_at === null ? null : new Date(talk.last_message_at),
      tm_create: plan.createdAt,
      tm_update: new Date(talk.tm_update),
      version_seq: 1,
    },
    participants,
    events,
    messages: [...messages.values()],
    state: snapshotOf(state),
    expected: { unread, mentions },
  };
}
