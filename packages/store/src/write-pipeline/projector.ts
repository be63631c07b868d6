/**
 * Applies recorded events to the projections that reads use (talks, participants, messages,
 * reactions). Every application writes absolute values taken from the event, so applying an event twice, or
 * again after a crash, leaves the same state.
 */
import type { Db } from 'mongodb';
import type { ReactionEventData, TalkChangeEvent } from '@talk/shared/events';
import { COLLECTIONS, type MessageDoc, type ParticipantDoc, type TalkDoc } from '../documents';
import type { MessageStore } from '../message-store';
import type { ReactionKey, ReactionStore } from '../reaction-store';
import type { TalkStore } from '../talk-store';
import { notNewerThan, upsertNotNewer } from '../versioned-upsert';

export interface Projector {
  apply(event: TalkChangeEvent): Promise<void>;
}

const reactionKeyOf = (data: ReactionEventData): ReactionKey => ({ messageId: data.message_id, agentId: data.agent_id, emoji: data.emoji });

export function createProjector(db: Db, talkStore: TalkStore, messageStore: MessageStore, reactionStore: ReactionStore): Projector {
  const participants = db.collection<ParticipantDoc>(COLLECTIONS.participants);
  const talks = db.collection<TalkDoc>(COLLECTIONS.talks);
  const messages = db.collection<MessageDoc>(COLLECTIONS.messages);
  const at = (event: TalkChangeEvent): Date => new Date(event.tm_create);

  return {
    async apply(event) {
      switch (event.type) {
        case 'message_created':
          // Writes to different documents go out together; a reply does not move the talk's activity.
          await Promise.all([
            messageStore.insertMessage(event.data),
            event.data.parent_id === null ? talkStore.touchTalk(event.talk_id, at(event), new Date(event.data.tm_create)) : undefined,
          ]);
          return;
        case 'participant_joined':
        case 'participant_left': {
          const p = event.data;
          // A first join creates the participant: the event comes first, the projection after.
          const saved = upsertNotNewer(
            participants,
            { _id: p.id, ...notNewerThan(event.seq) },
            {
              $set: {
                version_seq: event.seq,
                talk_id: p.talk_id,
                agent_id: p.agent_id,
                status: p.status,
                tm_joined: new Date(p.tm_joined),
                tm_left: p.tm_left === null ? null : new Date(p.tm_left),
                left_at_seq: p.status === 'left' ? event.seq : null,
                ...(event.type === 'participant_joined' ? { joined_seq: event.seq } : {}),
              },
            },
          );
          await Promise.all([saved, talkStore.touchTalk(event.talk_id, at(event), null)]);
          return;
        }
        case 'talk_created':
        case 'talk_updated':
        case 'talk_closed':
        case 'talk_reopened': {
          const talk = event.data;
          // Every talk event carries the whole talk: the first one creates the document. One
          // update for all of it, since FerretDB v1 updates a document by read-modify-write
          // without isolation, and two updates at once could lose one (docs/storage.md).
          await upsertNotNewer(
            talks,
            { _id: event.talk_id, ...notNewerThan(event.seq) },
            {
              $set: {
                version_seq: event.seq,
                customer_id: talk.customer_id,
                type: talk.type,
                name: talk.name,
                status: talk.status,
                creator_id: talk.creator_id,
                tm_create: new Date(talk.tm_create),
              },
              // Activity only moves forward; messages move it too (touchTalk). A null is below
              // every time, so the first event sets the field and no later one moves it back.
              $max: { tm_update: at(event), last_message_at: talk.last_message_at === null ? null : new Date(talk.last_message_at) },
            },
          );
          return;
        }
        case 'message_updated':
        case 'message_deleted':
          await messages.updateOne(
            { _id: event.data.id, ...notNewerThan(event.seq) },
            {
              $set: {
                version_seq: event.seq,
                text: event.data.text,
                medias: event.data.medias,
                edited: event.data.edited,
                deleted: event.data.deleted,
                mention_ids: event.data.mention_ids,
                tm_update: new Date(event.data.tm_update),
              },
            },
          );
          return;
        case 'reaction_added':
        case 'reaction_removed':
          await reactionStore.apply({ key: reactionKeyOf(event.data), talkId: event.talk_id, seq: event.seq, at: at(event), removed: event.type === 'reaction_removed' });
          return;
      }
    },
  };
}
