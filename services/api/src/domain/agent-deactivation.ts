/**
 * Deactivating an agent (`DELETE /v1.0/agents/{id}`): its tokens stop working at once (every
 * request checks the agent's status), and each of its participations ends with
 * `participant_left` (reason `removed`), closing talks it was the last one in.
 */
import { notFound } from '@talk/shared/errors';
import type { Agent } from '@talk/shared/schemas';
import type { RecordingContext, TalkDeps } from './context';
import { recordLeave } from './participants';

export function createAgentDeactivation(deps: TalkDeps) {
  const { agents, talks } = deps;
  return {
    async deactivate(ctx: RecordingContext, customerId: string, agentId: string): Promise<Agent> {
      const agent = await agents.findAgent(customerId, agentId);
      if (agent === null) throw notFound(`agent ${agentId}`);
      if (agent.status !== 'deactivated') {
        await agents.deactivateAgent(agentId);
        ctx.log.info({ agentId }, 'agent deactivated');
      }
      // Also on a repeated call: finishes what an interrupted deactivation left.
      for (const participation of await talks.listActiveParticipationsOf(agentId)) {
        await recordLeave(deps, ctx, participation.participant.talk_id, agentId, 'removed');
      }
      return { ...agent, status: 'deactivated' };
    },
  };
}

export type AgentDeactivation = ReturnType<typeof createAgentDeactivation>;
