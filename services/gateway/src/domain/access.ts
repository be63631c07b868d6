/** Who may connect, and what a connected agent may subscribe to. */
import { AppError, notFound } from '@talk/shared/errors';
import { createAgentCards, type AgentCard } from './agent-cards';
import { verifyToken } from '@talk/shared/tokens';
import type { Clock } from '@talk/shared/time';
import type { AgentChecks, TalkMemberships } from './ports';

export interface ConnectedAgent {
  readonly agentId: string;
  readonly customerId: string;
  /** Seconds since the epoch: the connection closes with 4001 then. */
  readonly tokenExpiresAt: number;
}

export interface AccessDeps {
  readonly identity: AgentChecks;
  readonly talks: TalkMemberships;
  readonly jwtSecret: string;
  readonly clock: Clock;
}

/** Agents whose customer and creation time a gateway keeps for presence subscribes (~200 bytes each). */
const AGENT_CARDS = 100_000;

export function createAccess(deps: AccessDeps) {
  const cards = createAgentCards(deps.identity, AGENT_CARDS);
  return {
    async authenticate(token: string | undefined): Promise<ConnectedAgent> {
      const refused = new AppError('UNAUTHENTICATED', 'the token is missing, invalid or expired; log in again');
      if (token === undefined) throw refused;
      const check = verifyToken(token, deps.jwtSecret, Math.floor(deps.clock().getTime() / 1000));
      if (!check.ok) throw refused;
      const agent = await deps.identity.findAgent(check.claims.customerId, check.claims.agentId);
      if (agent === null || agent.status !== 'active') throw refused;
      return { agentId: agent.id, customerId: agent.customer_id, tokenExpiresAt: check.claims.expiresAt };
    },

    /** Of these agents, the ones that no longer exist or were deactivated. */
    async inactiveAgents(agentIds: readonly string[]): Promise<Set<string>> {
      const agents = await deps.identity.findAgentsByIds(agentIds);
      const active = new Set(agents.filter((agent) => agent.status === 'active').map((agent) => agent.id));
      return new Set(agentIds.filter((id) => !active.has(id)));
    },

    /** Of these agents, those of the connected agent's customer: the only ones whose presence it may follow. */
    async agentsOfCustomer(agent: ConnectedAgent, agentIds: readonly string[]): Promise<AgentCard[]> {
      return (await cards.cardsOf(agentIds)).filter((card) => card.customerId === agent.customerId);
    },

    /** Only active participants may subscribe; anything else looks like a talk that does not exist. */
    async requireActiveParticipant(agent: ConnectedAgent, talkId: string): Promise<void> {
      const talk = await deps.talks.findTalk(agent.customerId, talkId);
      const membership = talk === null ? null : await deps.talks.findMembership(talkId, agent.agentId);
      if (membership?.participant.status !== 'active') throw notFound(`talk ${talkId}`);
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
