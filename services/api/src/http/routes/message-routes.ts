/** Messages of a talk (CONTRACT.md section 4). */
import { Router } from 'express';
import { CreateMessageBody, MessageListQuery, UpdateMessageBody } from '@talk/shared/schemas';
import type { MessageChanges } from '../../domain/message-changes';
import type { Messages } from '../../domain/messages';
import { agentContextOf } from '../auth';
import { parseBody, parseId, parseQuery } from '../parse';

export function messageRoutes(messages: Messages, changes: MessageChanges): Router {
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
