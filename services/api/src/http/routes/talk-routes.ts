/** Talks and their participants (CONTRACT.md section 4). */
import { Router } from 'express';
import { AddParticipantBody, CreateTalkBody, EventListQuery, ParticipantListQuery, TalkListQuery, UpdateTalkBody } from '@talk/shared/schemas';
import type { TalkLifecycle } from '../../domain/talk-lifecycle';
import type { Events } from '../../domain/events';
import type { Participants } from '../../domain/participants';
import type { Talks } from '../../domain/talks';
import { agentContextOf } from '../auth';
import { parseBody, parseId, parseQuery } from '../parse';

export interface TalkRouteDeps {
  readonly talks: Talks;
  readonly lifecycle: TalkLifecycle;
  readonly participants: Participants;
  readonly events: Events;
}

export function talkRoutes({ talks, lifecycle, participants, events }: TalkRouteDeps): Router {
  const router = Router();

  router.post('/talks', async (req, res) => {
    const { talk, created } = await talks.create(agentContextOf(req), parseBody(CreateTalkBody, req.body));
    res.status(created ? 201 : 200).json(talk);
  });

  router.get('/talks', async (req, res) => {
    res.json(await talks.list(agentContextOf(req), parseQuery(TalkListQuery, req.query)));
  });

  router.get('/talks/:talkId', async (req, res) => {
    res.json(await talks.get(agentContextOf(req), parseId(req.params.talkId, 'talk_id')));
  });

  router.put('/talks/:talkId', async (req, res) => {
    const talkId = parseId(req.params.talkId, 'talk_id');
    const { name } = parseBody(UpdateTalkBody, req.body);
    res.json(await lifecycle.rename(agentContextOf(req), talkId, name));
  });

  router.post('/talks/:talkId/close', async (req, res) => {
    res.json(await lifecycle.close(agentContextOf(req), parseId(req.params.talkId, 'talk_id')));
  });

  router.post('/talks/:talkId/reopen', async (req, res) => {
    res.json(await lifecycle.reopen(agentContextOf(req), parseId(req.params.talkId, 'talk_id')));
  });

  router.get('/talks/:talkId/participants', async (req, res) => {
    const { status } = parseQuery(ParticipantListQuery, req.query);
    const result = await participants.list(agentContextOf(req), parseId(req.params.talkId, 'talk_id'), status);
    res.json({ result });
  });

  router.post('/talks/:talkId/participants', async (req, res) => {
    const talkId = parseId(req.params.talkId, 'talk_id');
    const { agent_id } = parseBody(AddParticipantBody, req.body);
    const { participant, created } = await participants.add(agentContextOf(req), talkId, agent_id);
    res.status(created ? 201 : 200).json(participant);
  });

  router.delete('/talks/:talkId/participants/:participantId', async (req, res) => {
    const talkId = parseId(req.params.talkId, 'talk_id');
    const participantId = parseId(req.params.participantId, 'participant_id');
    res.json(await participants.remove(agentContextOf(req), talkId, participantId));
  });

  router.get('/talks/:talkId/events', async (req, res) => {
    const talkId = parseId(req.params.talkId, 'talk_id');
    res.json(await events.list(agentContextOf(req), talkId, parseQuery(EventListQuery, req.query)));
  });

  return router;
}
