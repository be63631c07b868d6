/**
 * The people of a benchmark: one customer, N agents with tokens, and talks of a given size. Only
 * the first agent is created through the API; the others are inserted with its password hash
 * (scrypt costs ~40 ms a hash, which would make 1,000 agents take a minute), and their tokens are
 * issued with the topology's JWT secret — exactly what login would hand out.
 */
import { MongoClient } from 'mongodb';
import { createAccountsApi } from '@talk/client/accounts-api';
import { createTalkApi } from '@talk/client/talk-api';
import { newId } from '@talk/shared/ids';
import { LIMITS } from '@talk/shared/schemas';
import { issueToken } from '@talk/shared/tokens';
import { COLLECTIONS, type AgentDoc } from '@talk/store/documents';
import { ADMIN_KEY, JWT_SECRET } from '../../test/support/stack';
import type { Topology } from '../../test/faults/topology';

export interface BenchAgent {
  readonly id: string;
  readonly token: string;
}

export interface Population {
  readonly customerId: string;
  readonly agents: readonly BenchAgent[];
}

const PASSWORD = 'bench password 1';
const TOKEN_TTL_S = 3_600;

export async function populate(topology: Topology, agentCount: number): Promise<Population> {
  const accounts = createAccountsApi({ baseUrl: topology.frontUrl });
  const customer = await accounts.createCustomer(ADMIN_KEY, 'Bench Co');
  const first = await accounts.createAgent(customer.accesskey, { username: 'agent.0', password: PASSWORD });
  const mongo = await MongoClient.connect(topology.stack.env['MONGO_URL'] ?? '');
  try {
    const agents = mongo.db(topology.stack.env['MONGO_DB']).collection<AgentDoc>(COLLECTIONS.agents);
    const template = await agents.findOne({ _id: first.id });
    if (template === null) throw new Error(`agent ${first.id} was created but is not in the database`);
    const more: AgentDoc[] = Array.from({ length: agentCount - 1 }, (_, i) => ({
      ...template,
      _id: newId(),
      username: `agent.${i + 1}`,
      name: `Agent ${i + 1}`,
    }));
    for (let at = 0; at < more.length; at += 500) await agents.insertMany(more.slice(at, at + 500));
    const now = Math.floor(Date.now() / 1000);
    const tokenOf = (agentId: string): string =>
      issueToken({ agentId, customerId: customer.id, expiresAt: now + TOKEN_TTL_S }, JWT_SECRET, now);
    return { customerId: customer.id, agents: [first.id, ...more.map((agent) => agent._id)].map((id) => ({ id, token: tokenOf(id) })) };
  } finally {
    await mongo.close();
  }
}

/** A group talk created by `members[0]` with every other member in it; resolves with its id and newest seq. */
export async function createTalkOf(topology: Topology, members: readonly BenchAgent[], name: string): Promise<{ readonly talkId: string; readonly lastSeq: number }> {
  const [creator, ...others] = members;
  if (creator === undefined) throw new Error('a talk needs at least one member');
  if (members.length > LIMITS.participantsMax) throw new Error(`a talk has at most ${LIMITS.participantsMax} participants`);
  // Straight to the API: a talk of 1,000 records 1,000 joins, longer than nginx waits for an answer.
  const api = createTalkApi({ baseUrl: `http://127.0.0.1:${topology.apis[0]?.port ?? 0}`, token: creator.token, timeoutMs: 300_000 });
  const talk = await api.createTalk({ name, participant_ids: others.map((agent) => agent.id) });
  const { last_seq: lastSeq } = await api.listEvents(talk.id, { limit: 1 });
  return { talkId: talk.id, lastSeq };
}
