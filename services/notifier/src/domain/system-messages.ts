/**
 * Writes exactly one system message per participant event. The message and its event take ids
 * derived from the source event's id, so a redelivered or concurrently handled event finds its
 * message already recorded and writes nothing.
 */
import type { ParticipantEvent } from '@talk/shared/events';
import { idFromKey } from '@talk/shared/ids';
import type { Logger } from '@talk/shared/logger';
import type { Message } from '@talk/shared/schemas';
import type { Clock } from '@talk/shared/time';
import { messageCreatedDraft, newMessage } from '@talk/decisions/drafts';
import type { AgentNames, EventRecorder } from './ports';
import { systemMessageText } from './system-message-text';

export interface SystemMessageDeps {
  readonly identity: AgentNames;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
}

export type SystemMessageOutcome = { readonly kind: 'written' | 'already_written'; readonly message: Message };

export function createSystemMessages(deps: SystemMessageDeps) {
  return {
    async onParticipantEvent(event: ParticipantEvent, log: Logger, requestId?: string): Promise<SystemMessageOutcome> {
      const agent = await deps.identity.findAgentById(event.data.agent_id);
      const agentName = agent?.name ?? 'An agent';
      const draft = messageCreatedDraft(
        newMessage({
          id: idFromKey('system_message', event.id),
          talkId: event.talk_id,
          type: 'system',
          agentId: null,
          clientMessageId: null,
          text: systemMessageText(agentName, event.data.reason),
          parentId: null,
          medias: [],
          mentionIds: [],
          at: deps.clock(),
        }),
        idFromKey('system_message_created', event.id),
      );
      const result = await deps.recorder.record(draft, log, requestId);
      if (result.event.type !== 'message_created') throw new Error(`event ${draft.id} is not a message_created event`);
      return { kind: result.kind === 'recorded' ? 'written' : 'already_written', message: result.event.data };
    },
  };
}

export type SystemMessages = ReturnType<typeof createSystemMessages>;
