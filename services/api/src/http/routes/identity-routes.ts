/** Customers, agents and login (the REST contract (the OpenAPI document at /docs)). */
import { Router } from 'express';
import { ROUTES } from '../catalogue';
import { on } from '../register';
import { z } from 'zod';
import { CreateAgentBody, CreateCustomerBody, LIMITS, LoginBody } from '@talk/shared/schemas';
import type { AgentDeactivation } from '../../domain/agent-deactivation';
import type { Identity } from '../../domain/identity';
import type { RateLimiter } from '../../domain/rate-limit';
import { authenticateAgent } from '../auth';
import { clientAddressOf, requestContextOf } from '../request-context';
import { parseBody, parseId, parseQuery } from '../parse';

const AgentListQuery = z.object({
  accesskey: z.string().optional(),
  page_size: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSizeDefault),
  page_token: z.uuid().optional(),
});

const accesskeyOf = (query: unknown): string | undefined => {
  const parsed = z.object({ accesskey: z.string() }).safeParse(query);
  return parsed.success ? parsed.data.accesskey : undefined;
};

export function identityRoutes(identity: Identity, deactivation: AgentDeactivation, limiter: RateLimiter): Router {
  const router = Router();

  on(router, ROUTES.createCustomer, async (req, res) => {
    await identity.requireAdmin(req.header('x-admin-key'), clientAddressOf(req));
    const body = parseBody(CreateCustomerBody, req.body);
    res.status(201).json(await identity.createCustomer(body.name));
  });

  on(router, ROUTES.createAgent, async (req, res) => {
    const customerId = await identity.customerByAccesskey(accesskeyOf(req.query));
    const body = parseBody(CreateAgentBody, req.body);
    res.status(201).json(await identity.createAgent(customerId, body, clientAddressOf(req)));
  });

  on(router, ROUTES.listAgents, async (req, res) => {
    const accesskey = accesskeyOf(req.query);
    // The accesskey when one is given (its errors are the accesskey's); else the agent's own customer.
    const customerId = accesskey === undefined ? (await authenticateAgent(identity, limiter, req)).customerId : await identity.customerByAccesskey(accesskey);
    const query = parseQuery(AgentListQuery, req.query);
    res.json(await identity.listAgents(customerId, query.page_token, query.page_size));
  });

  on(router, ROUTES.deactivateAgent, async (req, res) => {
    const customerId = await identity.customerByAccesskey(accesskeyOf(req.query));
    const agentId = parseId(req.params.agent_id, 'agent_id');
    res.json(await deactivation.deactivate(requestContextOf(req), customerId, agentId));
  });

  on(router, ROUTES.login, async (req, res) => {
    res.json(await identity.login(parseBody(LoginBody, req.body), clientAddressOf(req)));
  });

  return router;
}
