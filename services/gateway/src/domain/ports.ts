/**
 * What the gateway's access checks need of the data layer, in contract shapes; the data layer
 * implements them (packages/store/src/contract-adapters/).
 */
import type { Agent, Participant, Talk } from '@talk/shared/schemas';

export interface AgentChecks {
  findAgent(customerId: string, agentId: string): Promise<Agent | null>;
  /** Agents with these ids, whatever their customer: for re-checking the connected agents. */
  findAgentsByIds(agentIds: readonly string[]): Promise<Agent[]>;
}

export interface TalkMemberships {
  /** The talk of that customer, as its projection holds it; null if none. */
  findTalk(customerId: string, talkId: string): Promise<Omit<Talk, 'participant_count'> | null>;
  findMembership(talkId: string, agentId: string): Promise<{ readonly participant: Participant } | null>;
}
