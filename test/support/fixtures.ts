/** A customer with logged-in agents, created through the public API as a client would. */
import { z } from 'zod';
import { Agent, CreatedCustomer, LoginResponse, Talk } from '@talk/shared/schemas';
import { expectBody, type RestClient, type RestResponse } from '@talk/shared/testing/rest-client';
import { ADMIN_KEY } from './stack';

export interface TestAgent {
  readonly id: string;
  readonly name: string;
  readonly token: string;
}

export interface TestCustomer<Names extends readonly string[] = readonly string[]> {
  readonly id: string;
  readonly accesskey: string;
  /** One agent per name, in the order of the names. */
  readonly agents: { readonly [K in keyof Names]: TestAgent };
}

/** Every fixture agent's password (the console's browser tests sign in with it). */
export const PASSWORD = 'correct horse battery';

export async function createCustomer<const Names extends readonly string[]>(
  api: RestClient,
  agentNames: Names,
): Promise<TestCustomer<Names>> {
  const customer = expectBody(
    await api.request('POST', '/v1.0/customers', { headers: { 'x-admin-key': ADMIN_KEY }, body: { name: 'Acme Support' } }),
    201,
    CreatedCustomer,
  );
  const agents: TestAgent[] = [];
  for (const name of agentNames) {
    const username = name.toLowerCase().replace(/[^a-z0-9]+/g, '.');
    const agent = expectBody(
      await api.request('POST', `/v1.0/agents?accesskey=${customer.accesskey}`, { body: { username, password: PASSWORD, name } }),
      201,
      Agent,
    );
    const login = expectBody(
      await api.request('POST', '/v1.0/auth/login', { body: { customer_id: customer.id, username, password: PASSWORD } }),
      200,
      LoginResponse,
    );
    agents.push({ id: agent.id, name, token: login.token });
  }
  return { id: customer.id, accesskey: customer.accesskey, agents: asAgentTuple(agentNames, agents) };
}

/** `agents` was built one per name, in order: the tuple type only restates that (map() cannot build a mapped tuple). */
function asAgentTuple<Names extends readonly string[]>(_names: Names, agents: TestAgent[]): { readonly [K in keyof Names]: TestAgent } {
  return agents as unknown as { readonly [K in keyof Names]: TestAgent };
}

export async function createGroupTalk(api: RestClient, creator: TestAgent, others: readonly TestAgent[], name = 'Q1 Project'): Promise<Talk> {
  return expectBody(
    await api.request('POST', '/v1.0/talks', { token: creator.token, body: { name, participant_ids: others.map((a) => a.id) } }),
    201,
    Talk,
  );
}

export const ErrorBody = z.object({
  error: z.object({
    status: z.number(),
    code: z.string(),
    message: z.string().min(1),
    request_id: z.string().min(1),
  }),
});

/** Asserts the contract's error envelope with this status and code. */
export function expectError(response: RestResponse, status: number, code: string): void {
  const body = expectBody(response, status, ErrorBody);
  if (body.error.code !== code || body.error.status !== status) {
    throw new Error(`expected ${status} ${code}, got ${JSON.stringify(body)}`);
  }
}
