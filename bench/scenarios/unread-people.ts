/**
 * The people of the unread benchmark, made through the reference client as a customer's tooling
 * would: one customer, the agent under test and a few colleagues, each logged in. Their talks are
 * seeded straight into the database (unread-seed.ts); the colleagues' tokens post the new
 * activity through the API.
 */
import { createAccountsApi } from '@talk/client/accounts-api';
import { ADMIN_KEY } from '../../test/support/stack';

const PASSWORD = 'bench password 1';
const SETUP_TIMEOUT_MS = 60_000;

export interface UnreadAgent {
  readonly id: string;
  readonly token: string;
}

export interface UnreadPeople {
  readonly customerId: string;
  /** The agent whose listings are timed. */
  readonly reader: UnreadAgent;
  readonly colleagues: readonly UnreadAgent[];
}

export async function createUnreadPeople(baseUrl: string, colleagues: number): Promise<UnreadPeople> {
  const accounts = createAccountsApi({ baseUrl, timeoutMs: SETUP_TIMEOUT_MS });
  const customer = await accounts.createCustomer(ADMIN_KEY, 'Bench unread');
  const people = await Promise.all(
    Array.from({ length: colleagues + 1 }, async (_, i) => {
      const username = `unread.${i}`;
      const agent = await accounts.createAgent(customer.accesskey, { username, password: PASSWORD });
      const { token } = await accounts.login({ customer_id: customer.id, username, password: PASSWORD });
      return { id: agent.id, token };
    }),
  );
  const [reader, ...others] = people;
  if (reader === undefined) throw new Error('no agent under test');
  return { customerId: customer.id, reader, colleagues: others };
}
