/** Read state and mentions (section 8 of the contract, in the OpenAPI document at /docs). */
import { Router } from 'express';
import { MarkReadBody, PageQuery } from '@talk/shared/schemas';
import type { Messages } from '../../domain/messages';
import type { ReadStateUseCases } from '../../domain/read-state';
import { agentContextOf } from '../auth';
import { ROUTES } from '../catalogue';
import { parseBody, parseId, parseQuery } from '../parse';
import { on } from '../register';

export function readRoutes(readState: ReadStateUseCases, messages: Messages): Router {
  const router = Router();

  on(router, ROUTES.markRead, async (req, res) => {
    const talkId = parseId(req.params.talk_id, 'talk_id');
    res.json(await readState.markRead(agentContextOf(req), talkId, parseBody(MarkReadBody, req.body)));
  });

  on(router, ROUTES.unreadSummary, async (req, res) => {
    res.json(await readState.summary(agentContextOf(req)));
  });

  on(router, ROUTES.listMentions, async (req, res) => {
    res.json(await messages.mentions(agentContextOf(req), parseQuery(PageQuery, req.query)));
  });

  return router;
}
