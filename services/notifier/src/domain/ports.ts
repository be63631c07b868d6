/**
 * What the notifier's use case needs of the data layer and the write pipeline, in contract and
 * decision shapes; they implement it (packages/store/src/contract-adapters/, write-pipeline/recorder.ts).
 */
import type { AppendResult, EventDraft } from '@talk/decisions/event-draft';
import type { Logger } from '@talk/shared/logger';
import type { Agent } from '@talk/shared/schemas';

export interface AgentNames {
  /** For acting on an event, not on a caller's request: the agent whatever its customer. */
  findAgentById(agentId: string): Promise<Agent | null>;
}

export interface EventRecorder {
  /** Records one event whatever the talk's state: a system message narrates what was decided already. */
  record(draft: EventDraft, log: Logger, requestId?: string): Promise<AppendResult>;
}
