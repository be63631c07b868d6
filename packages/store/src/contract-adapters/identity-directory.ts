/** Customers and agents in contract shapes: what the API's use cases read and write (services/api/src/domain/ports.ts). */
import type { Agent } from '@talk/shared/schemas';
import type { IdentityStore } from '../identity-store';
import { toAgent } from '../wire';

export interface AgentDirectory {
  insertAgent(agent: Agent, passwordHash: string): Promise<void>;
  findAgent(customerId: string, agentId: string): Promise<Agent | null>;
  findAgents(customerId: string, agentIds: readonly string[]): Promise<Agent[]>;
  findAgentById(agentId: string): Promise<Agent | null>;
  findAgentsByIds(agentIds: readonly string[]): Promise<Agent[]>;
  findCredentials(customerId: string, username: string): Promise<{ readonly agent: Agent; readonly passwordHash: string } | null>;
  listAgents(customerId: string, afterId: string | undefined, limit: number): Promise<Agent[]>;
  deactivateAgent(agentId: string): Promise<void>;
}

export interface CustomerDirectory {
  insertCustomer(customer: { readonly id: string; readonly name: string; readonly accesskeyHash: string; readonly createdAt: Date }): Promise<void>;
  findCustomerIdByAccesskeyHash(hash: string): Promise<string | null>;
}

export function createAgentDirectory(identity: IdentityStore): AgentDirectory {
  return {
    insertAgent: (agent, passwordHash) =>
      identity.insertAgent({
        _id: agent.id,
        customer_id: agent.customer_id,
        username: agent.username,
        name: agent.name,
        password_hash: passwordHash,
        status: agent.status,
        tm_create: new Date(agent.tm_create),
      }),
    async findAgent(customerId, agentId) {
      const doc = await identity.findAgent(customerId, agentId);
      return doc === null ? null : toAgent(doc);
    },
    async findAgents(customerId, agentIds) {
      return (await identity.findAgents(customerId, agentIds)).map(toAgent);
    },
    async findAgentById(agentId) {
      const doc = await identity.findAgentById(agentId);
      return doc === null ? null : toAgent(doc);
    },
    async findAgentsByIds(agentIds) {
      return (await identity.findAgentsByIds(agentIds)).map(toAgent);
    },
    async findCredentials(customerId, username) {
      const doc = await identity.findAgentByUsername(customerId, username);
      return doc === null ? null : { agent: toAgent(doc), passwordHash: doc.password_hash };
    },
    async listAgents(customerId, afterId, limit) {
      return (await identity.listAgents(customerId, afterId, limit)).map(toAgent);
    },
    deactivateAgent: (agentId) => identity.deactivateAgent(agentId),
  };
}

export function createCustomerDirectory(identity: IdentityStore): CustomerDirectory {
  return {
    insertCustomer: (customer) =>
      identity.insertCustomer({ _id: customer.id, name: customer.name, accesskey_hash: customer.accesskeyHash, tm_create: customer.createdAt }),
    async findCustomerIdByAccesskeyHash(hash) {
      return (await identity.findCustomerByAccesskeyHash(hash))?._id ?? null;
    },
  };
}
