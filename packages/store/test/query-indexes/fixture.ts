/**
 * A small, realistic data set for the query-index test, made through the store itself as the
 * services make it: a customer, three agents, a group talk with two participants, a message with
 * a reply and a reaction, recorded as events and projected from them, and a direct pair's claim.
 */
import type { Db } from 'mongodb';
import type { EventType, TalkChangeEvent } from '@talk/shared/events';
import { newId } from '@talk/shared/ids';
import type { Message } from '@talk/shared/schemas';
import type { AgentDoc, CustomerDoc, MessageDoc, ParticipantDoc, TalkDoc } from '../../src/documents';
import { messageChangeDraft, messageCreatedDraft, newMessage, participantDraft, reactionDraft, talkDraft } from '@talk/decisions/drafts';
import type { EventDraft } from '@talk/decisions/event-draft';
import type { PairClaim } from '@talk/decisions/pair-opening';
import type { ReactionKey } from '../../src/reaction-store';
import { createStore, type Store } from '../../src/store';
import { createTalkStates, type TalkStates } from '../../src/write-pipeline/talk-states';
import { toMessage, toParticipant, toTalk } from '../../src/wire';

export interface QueryFixture {
  readonly db: Db;
  readonly store: Store;
  readonly states: TalkStates;
  readonly now: Date;
  readonly customer: CustomerDoc;
  readonly alice: AgentDoc;
  readonly bob: AgentDoc;
  /** Not in the talk; deactivated by a row. */
  readonly carol: AgentDoc;
  readonly talk: TalkDoc;
  readonly aliceIn: ParticipantDoc;
  readonly bobIn: ParticipantDoc;
  readonly root: MessageDoc;
  readonly reply: MessageDoc;
  /** Bob's reaction to the root. */
  readonly reaction: ReactionKey;
  /** A recorded event, for rows that need one that exists. */
  readonly recordedEventId: string;
  /** A claim on the direct pair of Alice and Bob, recorded. */
  readonly pairClaim: PairClaim;
  /** The draft that recorded the root message: appending it again finds it recorded. */
  readonly rootDraft: EventDraft;
  /** A new event of this type in the talk, with a seq past the recorded ones, for the projector. */
  eventOf(type: EventType): TalkChangeEvent;
  /** A draft of a new top-level message, in the talk or in another. */
  messageDraft(talkId?: string): EventDraft;
  /** A new top-level message in the talk, as the projector inserts it. */
  newMessage(): Message;
}

export function agentDoc(customerId: string, username: string, at: Date): AgentDoc {
  return { _id: newId(), customer_id: customerId, username, name: username, password_hash: 'scrypt$x', status: 'active', tm_create: at };
}

export function participantDoc(talk: TalkDoc, agentId: string, at: Date): ParticipantDoc {
  return { _id: newId(), talk_id: talk._id, agent_id: agentId, status: 'active', tm_joined: at, tm_left: null, left_at_seq: null };
}

export async function createQueryFixture(db: Db): Promise<QueryFixture> {
  const store = createStore(db);
  const now = new Date();
  const customer: CustomerDoc = { _id: newId(), name: 'Acme', accesskey_hash: newId(), tm_create: now };
  const [alice, bob, carol] = [agentDoc(customer._id, 'alice', now), agentDoc(customer._id, 'bob', now), agentDoc(customer._id, 'carol', now)];
  const talkId = newId();
  const talk: TalkDoc = {
    _id: talkId, customer_id: customer._id, type: 'group', name: 'Support', status: 'active', creator_id: alice._id,
    last_message_at: null, tm_create: now, tm_update: now,
  };
  const [aliceIn, bobIn] = [participantDoc(talk, alice._id, now), participantDoc(talk, bob._id, now)];

  await store.identity.insertCustomer(customer);
  for (const agent of [alice, bob, carol]) await store.identity.insertAgent(agent);

  const record = async (draft: EventDraft): Promise<TalkChangeEvent> =>
    (await store.events.append(draft, (event) => store.projector.apply(event))).event;
  const unsequenced = (parentId: string | null, agentId: string, inTalk: string) =>
    newMessage({ id: newId(), talkId: inTalk, type: 'normal', agentId, clientMessageId: null, text: 'hello', parentId, medias: [], mentionIds: [], at: now });
  const messageDraft = (parentId: string | null = null, agentId = alice._id, inTalk = talkId): EventDraft =>
    messageCreatedDraft(unsequenced(parentId, agentId, inTalk));
  const messageOf = async (event: TalkChangeEvent): Promise<MessageDoc> => {
    const found = event.type === 'message_created' ? await store.messages.findMessage(event.data.id) : null;
    if (found === null) throw new Error(`event ${event.id} projected no message`);
    return found;
  };

  const recorded = await record(talkDraft('talk_created', toTalk(talk, 2), now));
  for (const participant of [aliceIn, bobIn]) await record(participantDraft('participant_joined', toParticipant(participant), 'added', now));
  const rootDraft = messageDraft();
  const root = await messageOf(await record(rootDraft));
  const reply = await messageOf(await record(messageDraft(root._id, bob._id)));
  const reaction: ReactionKey = { messageId: root._id, agentId: bob._id, emoji: '👍' };
  const reactionData = { message_id: root._id, emoji: reaction.emoji, agent_id: bob._id, message: toMessage(root) };
  await record(reactionDraft('reaction_added', reactionData, now));

  const pairClaim: PairClaim = {
    pairKey: `direct:${customer._id}:${alice._id}:${bob._id}`,
    n: 1,
    talkId: newId(),
    opening: { kind: 'reopen', eventId: newId(), at: now.toISOString() },
  };
  await store.pairClaims.record(pairClaim);

  let nextSeq = 1_000;
  function eventOf(type: EventType): TalkChangeEvent {
    nextSeq += 1;
    switch (type) {
      case 'message_created':
        return messageDraft().build(nextSeq);
      case 'message_updated':
      case 'message_deleted':
        return messageChangeDraft(type, toMessage(root)).build(nextSeq);
      case 'reaction_added':
      case 'reaction_removed':
        return reactionDraft(type, reactionData, now).build(nextSeq);
      case 'participant_joined':
      case 'participant_left':
        return participantDraft(type, toParticipant(bobIn), type === 'participant_left' ? 'left' : 'joined', now).build(nextSeq);
      case 'talk_created':
      case 'talk_updated':
      case 'talk_closed':
      case 'talk_reopened':
        return talkDraft(type, toTalk(talk, 2), now).build(nextSeq);
    }
  }

  return {
    db, store, states: createTalkStates(db), now, customer, alice, bob, carol, talk, aliceIn, bobIn, root, reply, reaction,
    recordedEventId: recorded.id,
    pairClaim,
    rootDraft,
    eventOf,
    messageDraft: (inTalk) => messageDraft(null, alice._id, inTalk),
    newMessage: () => ({ ...unsequenced(null, alice._id, talkId), seq: (nextSeq += 1) }),
  };
}
