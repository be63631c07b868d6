/** Talks and their participants (the REST contract (the OpenAPI document at /docs)). */
import { Router } from 'express';
import { ROUTES } from '../catalogue';
import { on } from '../register';
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

  on(router, ROUTES.createTalk, async (req, res) => {
    const { talk, created } = await talks.create(agentContextOf(req), parseBody(CreateTalkBody, req.body));
    res.status(created ? 201 : 200).json(talk);
  });

  on(router, ROUTES.listTalks, async (req, res) => {
    res.json(await talks.list(agentContextOf(req), parseQuery(TalkListQuery, req.query)));
  });

  on(router, ROUTES.getTalk, async (req, res) => {
    res.json(await talks.get(agentContextOf(req), parseId(req.params.talk_id, 'talk_id')));
  });

  on(router, ROUTES.renameTalk, async (req, res) => {
    const talkId = parseId(req.params.talk_id, 'talk_id');
    const { name } = parseBody(UpdateTalkBody, req.body);
    res.json(await lifecycle.rename(agentContextOf(req), talkId, name));
  });

  on(router, ROUTES.closeTalk, async (req, res) => {
    res.json(await lifecycle.close(agentContextOf(req), parseId(req.params.talk_id, 'talk_id')));
  });

  on(router, ROUTES.reopenTalk, async (req, res) => {
    res.json(await lifecycle.reopen(agentContextOf(req), parseId(req.params.talk_id, 'talk_id')));
  });

  on(router, ROUTES.listParticipants, async (req, res) => {
    const { status } = parseQuery(ParticipantListQuery, req.query);
    const result = await participants.list(agentContextOf(req), parseId(req.params.talk_id, 'talk_id'), status);
    res.json({ result });
  });

  on(router, ROUTES.addParticipant, async (req, res) => {
    const talkId = parseId(req.params.talk_id, 'talk_id');
    const { agent_id } = parseBody(AddParticipantBody, req.body);
    const { participant, created } = await participants.add(agentContextOf(req), talkId, agent_id);
    res.status(created ? 201 : 200).json(participant);
  });

  on(router, ROUTES.removeParticipant, async (req, res) => {
    const talkId = parseId(req.params.talk_id, 'talk_id');
    const participantId = parseId(req.params.participant_id, 'participant_id');
    res.json(await participants.remove(agentContextOf(req), talkId, participantId));
  });

  on(router, ROUTES.listEvents, async (req, res) => {
    const talkId = parseId(req.params.talk_id, 'talk_id');
    res.json(await events.list(agentContextOf(req), talkId, parseQuery(EventListQuery, req.query)));
  });

  return router;
}
