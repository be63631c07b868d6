/** Customers, agents, login and token handling against real servers. */
import { Agent, CreatedCustomer, LoginResponse, Talk } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { z } from 'zod';
import { createCustomer, expectError, type TestCustomer } from '../../../test/support/fixtures';
import { ADMIN_KEY, startStack, type Stack } from '../../../test/support/stack';

describe('identity', () => {
  let stack: Stack;
  let acme: TestCustomer;

  beforeAll(async () => {
    stack = await startStack('identity');
    acme = await createCustomer(stack.api(), ['Agent A']);
  });
  afterAll(() => stack.stop());

  it('creates a customer only with the admin key and shows its accesskey once', async () => {
    const api = stack.api();
    expectError(await api.request('POST', '/v1.0/customers', { body: { name: 'x' } }), 401, 'UNAUTHENTICATED');
    expectError(
      await api.request('POST', '/v1.0/customers', { headers: { 'x-admin-key': 'wrong' }, body: { name: 'x' } }),
      401,
      'UNAUTHENTICATED',
    );
    const created = expectBody(
      await api.request('POST', '/v1.0/customers', { headers: { 'x-admin-key': ADMIN_KEY }, body: { name: 'Globex' } }),
      201,
      CreatedCustomer,
    );
    expect(created.name).toBe('Globex');
    expect(created.accesskey.length).toBeGreaterThanOrEqual(32);
  });

  it('creates agents with the accesskey; usernames are unique per customer', async () => {
    const api = stack.api();
    const body = { username: 'dup.agent', password: 'password-1', name: 'Dup' };
    expectError(await api.request('POST', '/v1.0/agents', { body }), 401, 'UNAUTHENTICATED');
    expectError(await api.request('POST', '/v1.0/agents?accesskey=nope', { body }), 401, 'UNAUTHENTICATED');
    const agent = expectBody(await api.request('POST', `/v1.0/agents?accesskey=${acme.accesskey}`, { body }), 201, Agent);
    expect(agent).toMatchObject({ customer_id: acme.id, username: 'dup.agent', name: 'Dup', status: 'active' });
    expect(agent).not.toHaveProperty('password');
    expect(agent).not.toHaveProperty('password_hash');
    expectError(await api.request('POST', `/v1.0/agents?accesskey=${acme.accesskey}`, { body }), 409, 'CONFLICT');

    const other = await createCustomer(api, []);
    expectBody(await api.request('POST', `/v1.0/agents?accesskey=${other.accesskey}`, { body }), 201, Agent);
  });

  it('lists the customer\'s agents page by page', async () => {
    const api = stack.api();
    const first = expectBody(
      await api.request('GET', `/v1.0/agents?accesskey=${acme.accesskey}&page_size=1`),
      200,
      z.object({ result: z.array(Agent), next_page_token: z.string().nullable() }),
    );
    expect(first.result).toHaveLength(1);
    expect(first.next_page_token).not.toBeNull();
    const rest = expectBody(
      await api.request('GET', `/v1.0/agents?accesskey=${acme.accesskey}&page_size=100&page_token=${first.next_page_token ?? ''}`),
      200,
      z.object({ result: z.array(Agent), next_page_token: z.string().nullable() }),
    );
    expect(rest.result.map((a) => a.id)).not.toContain(first.result[0]?.id);
    expect(rest.next_page_token).toBeNull();
  });

  it("lists its own customer's agents to an agent's token, and nobody else's", async () => {
    const api = stack.api();
    const AgentPage = z.object({ result: z.array(Agent), next_page_token: z.string().nullable() });
    const other = await createCustomer(api, ['Outsider']);
    const token = acme.agents[0]?.token ?? '';
    const listed = expectBody(await api.request('GET', '/v1.0/agents?page_size=100', { token }), 200, AgentPage);
    const withKey = expectBody(await api.request('GET', `/v1.0/agents?accesskey=${acme.accesskey}&page_size=100`), 200, AgentPage);
    expect(listed.result).toEqual(withKey.result);
    expect(listed.result.map((a) => a.customer_id)).toEqual(listed.result.map(() => acme.id));
    expect(listed.result.map((a) => a.id)).not.toContain(other.agents[0].id);
    expectError(await api.request('GET', '/v1.0/agents'), 401, 'UNAUTHENTICATED');
    expectError(await api.request('GET', '/v1.0/agents', { token: 'not-a-token' }), 401, 'UNAUTHENTICATED');
    // An accesskey, when given, is what counts: a wrong one is refused whatever token comes with it.
    expectError(await api.request('GET', '/v1.0/agents?accesskey=wrong', { token }), 401, 'UNAUTHENTICATED');
  });

  it('logs in with the right password only, and the token works as ?token= and as a Bearer header', async () => {
    const api = stack.api();
    const body = { customer_id: acme.id, username: 'agent.a', password: 'correct horse battery' };
    const login = expectBody(await api.request('POST', '/v1.0/auth/login', { body }), 200, LoginResponse);
    expect(login.agent.id).toBe(acme.agents[0]?.id);
    expect(Date.parse(login.expires_at)).toBeGreaterThan(Date.now());
    expectError(await api.request('POST', '/v1.0/auth/login', { body: { ...body, password: 'wrong password' } }), 401, 'UNAUTHENTICATED');
    expectError(await api.request('POST', '/v1.0/auth/login', { body: { ...body, username: 'nobody' } }), 401, 'UNAUTHENTICATED');

    const page = z.object({ result: z.array(Talk), next_page_token: z.string().nullable() });
    expectBody(await api.request('GET', `/v1.0/talks?token=${login.token}`), 200, page);
    expectBody(await api.request('GET', '/v1.0/talks', { token: login.token }), 200, page);
  });

  it.each([
    ['no token', ''],
    ['a malformed token', '?token=abc'],
    ['a token with a forged signature', '?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
  ])('refuses %s with 401', async (_what, query) => {
    expectError(await stack.api().request('GET', `/v1.0/talks${query}`), 401, 'UNAUTHENTICATED');
  });
});
