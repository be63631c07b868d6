/** Customers, agents and login: the calls made before an agent has a token. */
import type { z } from 'zod';
import { Agent, CreatedCustomer, LoginResponse, type CreateAgentBody, type LoginBody, type Page } from '@talk/shared/schemas';
import { createHttp, type HttpOptions } from './http';
import { pageOf, type PageRequest } from './pages';

export interface AccountsApi {
  /** Needs the deployment's `TALK_ADMIN_KEY`. The accesskey is shown only in this answer. */
  createCustomer(adminKey: string, name: string): Promise<CreatedCustomer>;
  createAgent(accesskey: string, agent: z.input<typeof CreateAgentBody>): Promise<Agent>;
  listAgents(accesskey: string, page?: PageRequest): Promise<Page<Agent>>;
  /** Deactivates the agent: its tokens stop working and its participations end. */
  deactivateAgent(accesskey: string, agentId: string): Promise<Agent>;
  login(credentials: LoginBody): Promise<LoginResponse>;
}

export function createAccountsApi(options: HttpOptions): AccountsApi {
  const http = createHttp(options);
  return {
    createCustomer: (adminKey, name) =>
      http({ method: 'POST', path: '/v1.0/customers', headers: { 'x-admin-key': adminKey }, body: { name }, idempotent: false }, CreatedCustomer),
    createAgent: (accesskey, agent) =>
      http({ method: 'POST', path: '/v1.0/agents', query: { accesskey }, body: agent, idempotent: false }, Agent),
    listAgents: (accesskey, page = {}) =>
      http(
        { method: 'GET', path: '/v1.0/agents', query: { accesskey, page_size: page.pageSize, page_token: page.pageToken }, idempotent: true },
        pageOf(Agent),
      ),
    deactivateAgent: (accesskey, agentId) =>
      http({ method: 'DELETE', path: `/v1.0/agents/${encodeURIComponent(agentId)}`, query: { accesskey }, idempotent: true }, Agent),
    login: (credentials) => http({ method: 'POST', path: '/v1.0/auth/login', body: credentials, idempotent: true }, LoginResponse),
  };
}
