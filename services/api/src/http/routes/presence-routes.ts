/** Presence (docs/websocket.md, Presence; the OpenAPI document at /docs). */
import { Router } from 'express';
import { PresenceQuery, SetPresenceBody } from '@talk/shared/schemas';
import type { PresenceUseCases } from '../../domain/presence';
import { ROUTES } from '../catalogue';
import { on } from '../register';
import { agentContextOf } from '../auth';
import { parseBody, parseQuery } from '../parse';

export function presenceRoutes(presence: PresenceUseCases): Router {
  const router = Router();

  on(router, ROUTES.setPresence, async (req, res) => {
    res.json(await presence.set(agentContextOf(req), parseBody(SetPresenceBody, req.body)));
  });

  on(router, ROUTES.listPresence, async (req, res) => {
    const { agent_ids: agentIds } = parseQuery(PresenceQuery, req.query);
    res.json({ result: await presence.list(agentContextOf(req), agentIds) });
  });

  return router;
}
