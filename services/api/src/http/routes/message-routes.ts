/** Messages of a talk (the REST contract (the OpenAPI document at /docs)). */
import { Router } from 'express';
import { ROUTES } from '../catalogue';
import { on } from '../register';
import { AddReactionBody, CreateMessageBody, Emoji, MessageListQuery, PageQuery, UpdateMessageBody } from '@talk/shared/schemas';
import type { Reactions } from '../../domain/reactions';
import type { MessageChanges } from '../../domain/message-changes';
import type { Messages } from '../../domain/messages';
import { agentContextOf } from '../auth';
import { parseBody, parseId, parseParam, parseQuery } from '../parse';

export function messageRoutes(messages: Messages, changes: MessageChanges, reactions: Reactions): Router {
  const router = Router();

  on(router, ROUTES.postMessage, async (req, res) => {
    const talkId = parseId(req.params.talk_id, 'talk_id');
    const { message, created } = await messages.post(agentContextOf(req), talkId, parseBody(CreateMessageBody, req.body));
    res.status(created ? 201 : 200).json(message);
  });

  on(router, ROUTES.listMessages, async (req, res) => {
    const talkId = parseId(req.params.talk_id, 'talk_id');
    res.json(await messages.list(agentContextOf(req), talkId, parseQuery(MessageListQuery, req.query)));
  });

  on(router, ROUTES.getMessage, async (req, res) => {
    res.json(await messages.get(agentContextOf(req), parseId(req.params.message_id, 'message_id')));
  });

  on(router, ROUTES.listReplies, async (req, res) => {
    const messageId = parseId(req.params.message_id, 'message_id');
    res.json(await messages.replies(agentContextOf(req), messageId, parseQuery(PageQuery, req.query)));
  });

  on(router, ROUTES.addReaction, async (req, res) => {
    const messageId = parseId(req.params.message_id, 'message_id');
    const { emoji } = parseBody(AddReactionBody, req.body);
    const { message, changed } = await reactions.add(agentContextOf(req), messageId, emoji);
    res.status(changed ? 201 : 200).json(message);
  });

  on(router, ROUTES.removeReaction, async (req, res) => {
    const messageId = parseId(req.params.message_id, 'message_id');
    const emoji = parseParam(Emoji, req.params.emoji, 'emoji');
    res.json((await reactions.remove(agentContextOf(req), messageId, emoji)).message);
  });

  on(router, ROUTES.editMessage, async (req, res) => {
    const messageId = parseId(req.params.message_id, 'message_id');
    const { text, mention_ids } = parseBody(UpdateMessageBody, req.body);
    res.json(await changes.edit(agentContextOf(req), messageId, text, mention_ids));
  });

  on(router, ROUTES.deleteMessage, async (req, res) => {
    res.json(await changes.remove(agentContextOf(req), parseId(req.params.message_id, 'message_id')));
  });

  return router;
}
