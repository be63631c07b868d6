/**
 * The people of the REST write-path benchmark, made through the reference client as a customer's
 * tooling would: one customer, N agents who log in, and talks whose members are the agents that
 * post into them.
 */
import { createAccountsApi } from '@talk/client/accounts-api';
import { createTalkApi } from '@talk/client/talk-api';
import type { Poster } from '../load/rest-protocol';
import { ADMIN_KEY } from '../../test/support/stack';

const PASSWORD = 'bench password 1';
const SETUP_TIMEOUT_MS = 60_000;

/**
 * `agents` agents; talk t has agents t·perTalk … t·perTalk + perTalk − 1 as members, and each
 * agent posts into its one talk. Returns one poster per agent.
 */
export async function createPosters(baseUrl: string, agents: number, perTalk: number, label: string): Promise<Poster[]> {
  if (agents % perTalk !== 0) throw new Error(`${agents} agents do not fill talks of ${perTalk}`);
  // Setup is not measured: generous timeouts, since the box may be busy with other work.
  const accounts = createAccountsApi({ baseUrl, timeoutMs: SETUP_TIMEOUT_MS });
  const customer = await accounts.createCustomer(ADMIN_KEY, `Bench ${label}`);
  const people: { agentId: string; token: string }[] = [];
  // Hashing and checking passwords (scrypt, ~40 ms each) is the slow part; the API runs them on
  // libuv's pool of 4 threads, so 4 agents at a time keep it busy without queuing requests.
  for (let first = 0; first < agents; first += 4) {
    const batch = Array.from({ length: Math.min(4, agents - first) }, async (_, i) => {
      const username = `${label}.${first + i}`;
      const agent = await accounts.createAgent(customer.accesskey, { username, password: PASSWORD });
      const { token } = await accounts.login({ customer_id: customer.id, username, password: PASSWORD });
      return { agentId: agent.id, token };
    });
    people.push(...(await Promise.all(batch)));
  }
  const talks = Array.from({ length: agents / perTalk }, (_, t) => people.slice(t * perTalk, (t + 1) * perTalk));
  const posters = await Promise.all(
    talks.map(async (members, t) => {
      const [creator, ...others] = members;
      if (creator === undefined) throw new Error('a talk needs a member');
      const talk = await createTalkApi({ baseUrl, token: creator.token, timeoutMs: SETUP_TIMEOUT_MS }).createTalk({
        name: `${label} ${t}`,
        participant_ids: others.map((member) => member.agentId),
      });
      return members.map((member) => ({ ...member, talkId: talk.id }));
    }),
  );
  return posters.flat();
}
