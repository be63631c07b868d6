/** Customers (tenants) and their agents. */
import type { Db } from 'mongodb';
import { AppError } from '@talk/shared/errors';
import { COLLECTIONS, type AgentDoc, type CustomerDoc } from './documents';
import { isDuplicateKey } from './mongo-errors';

export interface IdentityStore {
  insertCustomer(customer: CustomerDoc): Promise<void>;
  findCustomerByAccesskeyHash(hash: string): Promise<CustomerDoc | null>;
  /** Throws `CONFLICT` when the username is taken in that customer. */
  insertAgent(agent: AgentDoc): Promise<void>;
  findAgent(customerId: string, agentId: string): Promise<AgentDoc | null>;
  /** For internal consumers that act on an event, not on a caller's request. */
  findAgentById(agentId: string): Promise<AgentDoc | null>;
  findAgentByUsername(customerId: string, username: string): Promise<AgentDoc | null>;
  findAgents(customerId: string, agentIds: readonly string[]): Promise<AgentDoc[]>;
  /** Agents with these ids, whatever their customer: for a gateway re-checking its connections. */
  findAgentsByIds(agentIds: readonly string[]): Promise<AgentDoc[]>;
  deactivateAgent(agentId: string): Promise<void>;
  /** Agents of a customer ordered by id, after `afterId`. */
  listAgents(customerId: string, afterId: string | undefined, limit: number): Promise<AgentDoc[]>;
}

export function createIdentityStore(db: Db): IdentityStore {
  const customers = db.collection<CustomerDoc>(COLLECTIONS.customers);
  const agents = db.collection<AgentDoc>(COLLECTIONS.agents);
  return {
    async insertCustomer(customer) {
      await customers.insertOne(customer);
    },
    findCustomerByAccesskeyHash: (hash) => customers.findOne({ accesskey_hash: hash }),
    async insertAgent(agent) {
      try {
        await agents.insertOne(agent);
      } catch (error) {
        if (isDuplicateKey(error)) {
          throw new AppError('CONFLICT', `username "${agent.username}" is already taken in this customer`, {
            fields: [{ field: 'username', problem: 'already taken' }],
          });
        }
        throw error;
      }
    },
    findAgent: (customerId, agentId) => agents.findOne({ _id: agentId, customer_id: customerId }),
    findAgentById: (agentId) => agents.findOne({ _id: agentId }),
    findAgentByUsername: (customerId, username) => agents.findOne({ customer_id: customerId, username }),
    findAgents: (customerId, agentIds) =>
      agents.find({ customer_id: customerId, _id: { $in: [...agentIds] } }).toArray(),
    findAgentsByIds: (agentIds) => agents.find({ _id: { $in: [...agentIds] } }).toArray(),
    async deactivateAgent(agentId) {
      await agents.updateOne({ _id: agentId }, { $set: { status: 'deactivated' } });
    },
    listAgents: (customerId, afterId, limit) =>
      agents
        .find(afterId === undefined ? { customer_id: customerId } : { customer_id: customerId, _id: { $gt: afterId } })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray(),
  };
}
