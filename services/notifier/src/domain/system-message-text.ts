import type { ParticipantChangeReason } from '@talk/shared/events';

/** The text of the system message written for a participant change, as in the product overview. */
export function systemMessageText(agentName: string, reason: ParticipantChangeReason): string {
  switch (reason) {
    case 'added':
    case 'joined':
      return `${agentName} joined the conversation.`;
    case 'left':
      return `${agentName} left the conversation.`;
    case 'removed':
      return `${agentName} was removed from the conversation.`;
  }
}
