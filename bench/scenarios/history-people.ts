/**
 * The people and talks the history benchmark times, made through the reference client as a
 * customer's tooling and its agents would: one customer, a few agents who log in, and the agent
 * under test in TALKS talks with the others. The first of them, the talk under test, gets
 * MESSAGES messages posted by its members in turn; the others a few each.
 */
import { createAccountsApi } from '@talk/client/accounts-api';
import { createTalkApi } from '@talk/client/talk-api';
import { messageText } from '../load/rest-texts';
import { ADMIN_KEY } from '../../test/support/stack';

const PASSWORD = 'bench password 1';
const SETUP_TIMEOUT_MS = 60_000;
const AGENTS = 4;
const TALKS = 10;
const MESSAGES = 100;
const MESSAGES_IN_OTHER_TALKS = 3;

export interface HistoryAgent {
  readonly id: string;
  readonly token: string;
}

export interface PeopleUnderTest {
  readonly customerId: string;
  /** The agent whose requests are timed. */
  readonly agent: HistoryAgent;
  /** Its colleagues, members of all its talks. */
  readonly others: readonly HistoryAgent[];
  readonly talkId: string;
  /** The talk under test's newest seq once its messages are in. */
  readonly headSeq: number;
  readonly talks: number;
  readonly messages: number;
}

export async function createPeopleUnderTest(baseUrl: string, label: string): Promise<PeopleUnderTest> {
  // Setup is not measured: generous timeouts, since the box may be busy with other work.
  const accounts = createAccountsApi({ baseUrl, timeoutMs: SETUP_TIMEOUT_MS });
  const customer = await accounts.createCustomer(ADMIN_KEY, `Bench ${label}`);
  const people = await Promise.all(
    Array.from({ length: AGENTS }, async (_, i) => {
      const username = `${label}.${i}`;
      const agent = await accounts.createAgent(customer.accesskey, { username, password: PASSWORD });
      const { token } = await accounts.login({ customer_id: customer.id, username, password: PASSWORD });
      return { id: agent.id, token };
    }),
  );
  const [agent, ...others] = people;
  if (agent === undefined) throw new Error('no agent under test');
  const apis = people.map((person) => createTalkApi({ baseUrl, token: person.token, timeoutMs: SETUP_TIMEOUT_MS }));
  const [own] = apis;
  if (own === undefined) throw new Error('no agent under test');

  const talkIds: string[] = [];
  for (let t = 0; t < TALKS; t += 1) {
    const talk = await own.createTalk({ name: `${label} ${t}`, participant_ids: others.map((other) => other.id) });
    talkIds.push(talk.id);
  }
  const [talkId, ...otherTalks] = talkIds;
  if (talkId === undefined) throw new Error('no talk under test');
  // One post at a time, members in turn: a conversation, and seqs in the order of the texts.
  const post = async (into: string, count: number): Promise<void> => {
    for (let n = 0; n < count; n += 1) await apis[n % apis.length]?.sendMessage(into, { text: messageText(n) });
  };
  await post(talkId, MESSAGES);
  for (const other of otherTalks) await post(other, MESSAGES_IN_OTHER_TALKS);
  const { last_seq: headSeq } = await own.listEvents(talkId, { limit: 1 });
  return { customerId: customer.id, agent, others, talkId, headSeq, talks: TALKS, messages: MESSAGES };
}
