/** Customers, agents and logging in (the REST contract (the OpenAPI document at /docs)). */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '@talk/shared/errors';
import { newId } from '@talk/shared/ids';
import type { Agent, CreateAgentBody, CreatedCustomer, LoginBody, LoginResponse, Page } from '@talk/shared/schemas';
import type { Clock } from '@talk/shared/time';
import { toTimestamp } from '@talk/shared/time';
import { issueToken, verifyToken } from '@talk/shared/tokens';
import type { Caller } from './caller';
import type { CheckOutcome, CredentialAttempt, CredentialGuard } from './credential-guard';
import { cutPage } from './page-token';
import { hashPassword, verifyPassword } from './passwords';
import type { AgentDirectory, CustomerDirectory } from './ports';

export interface IdentityDeps {
  readonly customers: CustomerDirectory;
  readonly agents: AgentDirectory;
  readonly clock: Clock;
  readonly adminKey: string;
  readonly jwtSecret: string;
  readonly tokenTtlSeconds: number;
  readonly guard: CredentialGuard;
}

const hashAccesskey = (accesskey: string): string => createHash('sha256').update(accesskey).digest('hex');

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const badToken = (): AppError => new AppError('UNAUTHENTICATED', 'the token is missing, invalid or expired; log in again');

/** One hash to compare against when the username does not exist, so timing does not tell. */
const NO_SUCH_AGENT_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function createIdentity(deps: IdentityDeps) {
  const { customers, agents, clock, guard } = deps;

  return {
    /** Wrong keys from one address in a row lock it out for longer each time (credential-guard.ts). */
    async requireAdmin(adminKey: string | undefined, clientAddress: string): Promise<void> {
      await guard.attempt({ kind: 'admin-key', clientAddress }, () =>
        Promise.resolve(
          adminKey !== undefined && sameSecret(adminKey, deps.adminKey)
            ? { passed: true, value: undefined }
            : { passed: false, error: new AppError('UNAUTHENTICATED', 'the X-Admin-Key header is missing or wrong') },
        ),
      );
    },

    async createCustomer(name: string): Promise<CreatedCustomer> {
      const accesskey = `tak_${randomBytes(24).toString('base64url')}`;
      const customer = { id: newId(), name, accesskeyHash: hashAccesskey(accesskey), createdAt: clock() };
      await customers.insertCustomer(customer);
      return { id: customer.id, name, accesskey, tm_create: toTimestamp(customer.createdAt) };
    },

    async customerByAccesskey(accesskey: string | undefined): Promise<string> {
      const customerId = accesskey === undefined ? null : await customers.findCustomerIdByAccesskeyHash(hashAccesskey(accesskey));
      if (customerId === null) throw new AppError('UNAUTHENTICATED', 'the accesskey is missing or unknown');
      return customerId;
    },

    async createAgent(customerId: string, body: CreateAgentBody, clientAddress: string): Promise<Agent> {
      const creation: CredentialAttempt = { kind: 'agent-creation', clientAddress, customerId, username: body.username };
      const passwordHash = await guard.attempt(creation, async () => ({
        passed: true,
        value: await hashPassword(body.password),
      }));
      const agent: Agent = {
        id: newId(),
        customer_id: customerId,
        username: body.username,
        name: body.name ?? body.username,
        status: 'active',
        tm_create: toTimestamp(clock()),
      };
      await agents.insertAgent(agent, passwordHash);
      return agent;
    },

    async listAgents(customerId: string, afterId: string | undefined, pageSize: number): Promise<Page<Agent>> {
      const found = await agents.listAgents(customerId, afterId, pageSize + 1);
      const { page, next } = cutPage(found, pageSize, (last) => last.id);
      return { result: page, next_page_token: next };
    },

    /** Rate-limited per client address and per account, with a lock after failures (credential-guard.ts). */
    async login(body: LoginBody, clientAddress: string): Promise<LoginResponse> {
      const attempt: CredentialAttempt = { kind: 'login', clientAddress, customerId: body.customer_id, username: body.username };
      const agent = await guard.attempt(attempt, async (): Promise<CheckOutcome<Agent>> => {
        const credentials = await agents.findCredentials(body.customer_id, body.username);
        const passwordOk = await verifyPassword(body.password, credentials?.passwordHash ?? NO_SUCH_AGENT_HASH);
        if (credentials !== null && passwordOk && credentials.agent.status === 'active') return { passed: true, value: credentials.agent };
        return { passed: false, error: new AppError('UNAUTHENTICATED', 'the customer, username or password is wrong, or the agent is deactivated') };
      });
      const now = Math.floor(clock().getTime() / 1000);
      const expiresAt = now + deps.tokenTtlSeconds;
      const token = issueToken({ agentId: agent.id, customerId: agent.customer_id, expiresAt }, deps.jwtSecret, now);
      return { token, expires_at: toTimestamp(new Date(expiresAt * 1000)), agent };
    },

    /** The agent behind a token; a deactivated agent's tokens stop working at once. */
    async authenticate(token: string | undefined): Promise<Caller> {
      if (token === undefined) throw badToken();
      const check = verifyToken(token, deps.jwtSecret, Math.floor(clock().getTime() / 1000));
      if (!check.ok) throw badToken();
      const agent = await agents.findAgent(check.claims.customerId, check.claims.agentId);
      if (agent === null || agent.status !== 'active') throw badToken();
      return { agentId: agent.id, customerId: agent.customer_id };
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
