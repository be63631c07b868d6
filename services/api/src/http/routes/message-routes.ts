/** Messages of a talk (CONTRACT.md section 4). */
import { Router } from 'express';
import { AddReactionBody, CreateMessageBody, Emoji, MessageListQuery, PageQuery, UpdateMessageBody } from '@talk/shared/schemas';
import type { Reactions } from '../../domain/reactions';
import type { MessageChanges } from '../../domain/message-changes';
import type { Messages } from '../../domain/messages';
import { agentContextOf } from '../auth';
import { parseBody, parseId, parseParam, parseQuery } from '../parse';

export function messageRoutes(messages: Messages, changes: MessageChanges, reactions: Reactions): Router {
  const router = Router();

  router.post('/talks/:talkId/messages', async (req, res) => {
    const talkId = parseId(req.params.talkId, 'talk_id');
    const { message, created } = await messages.post(agentContextOf(req), talkId, parseBody(CreateMessageBody, req.body));
    res.status(created ? 201 : 200).json(message);
  });

  router.get('/talks/:talkId/messages', async (req, res) => {
    const talkId = parseId(req.params.talkId, 'talk_id');
    res.json(await messages.list(agentContextOf(req), talkId, parseQuery(MessageListQuery, req.query)));
  });

  router.get('/messages/:messageId', async (req, res) => {
    res.json(await messages.get(agentContextOf(req), parseId(req.params.messageId, 'message_id')));
  });

  router.get('/messages/:messageId/replies', async (req, res) => {
    const messageId = parseId(req.params.messageId, 'message_id');
    res.json(await messages.replies(agentContextOf(req), messageId, parseQuery(PageQuery, req.query)));
  });

  router.post('/messages/:messageId/reactions', async (req, res) => {
    const messageId = parseId(req.params.messageId, 'message_id');
    const { emoji } = parseBody(AddReactionBody, req.body);
    const { message, changed } = await reactions.add(agentContextOf(req), messageId, emoji);
    res.status(changed ? 201 : 200).json(message);
  });

  router.delete('/messages/:messageId/reactions/:emoji', async (req, res) => {
    const messageId = parseId(req.params.messageId, 'message_id');
    const emoji = parseParam(Emoji, req.params.emoji, 'emoji');
    res.json((await reactions.remove(agentContextOf(req), messageId, emoji)).message);
  });

  router.put('/messages/:messageId', async (req, res) => {
    const messageId = parseId(req.params.messageId, 'message_id');
    const { text } = parseBody(UpdateMessageBody, req.body);
    res.json(await changes.edit(agentContextOf(req), messageId, text));
  });

  router.delete('/messages/:messageId', async (req, res) => {
    res.json(await changes.remove(agentContextOf(req), parseId(req.params.messageId, 'message_id')));
  });

  return router;
}
