/**
 * `PUT /v1.0/me/presence` and `GET /v1.0/presence` (docs/websocket.md, Presence). The status
 * itself is decided by the gateways' connections; an agent sets only `away` (or `online` again)
 * for as long as it stays connected. Agents of another customer are left out, as if they did not exist.
 */
import { notFound } from '@talk/shared/errors';
import type { Agent, Presence, SetPresenceBody } from '@talk/shared/schemas';
import type { RequestContext } from './context';
import type { AgentDirectory, PresenceReader } from './ports';

export interface PresenceDeps {
  readonly agents: AgentDirectory;
  readonly presence: PresenceReader;
}

export function createPresence(deps: PresenceDeps) {
  function presenceOf(agent: Agent): Presence {
    const { status, since } = deps.presence.presenceOf(agent.id);
    return { agent_id: agent.id, status, tm_change: since === null ? agent.tm_create : new Date(since).toISOString() };
  }

  return {
    /** The caller's presence after the change: `offline` still, when it has no connection. */
    async set(ctx: RequestContext, body: SetPresenceBody): Promise<Presence> {
      const agent = await deps.agents.findAgent(ctx.caller.customerId, ctx.caller.agentId);
      if (agent === null) throw notFound(`agent ${ctx.caller.agentId}`);
      await deps.presence.setStatus(agent.id, body.status);
      return presenceOf(agent);
    },

    /** In the order asked, each agent once; those not of the caller's customer are left out. */
    async list(ctx: RequestContext, agentIds: readonly string[]): Promise<Presence[]> {
      const agents = new Map((await deps.agents.findAgents(ctx.caller.customerId, agentIds)).map((agent) => [agent.id, agent]));
      return agentIds.flatMap((id) => {
        const agent = agents.get(id);
        return agent === undefined ? [] : [presenceOf(agent)];
      });
    },
  };
}

export type PresenceUseCases = ReturnType<typeof createPresence>;
