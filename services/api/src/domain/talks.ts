/** Creating, reading and listing talks (the REST contract (the OpenAPI document at /docs)). */
import { z } from 'zod';
import { AppError } from '@talk/shared/errors';
import { newId } from '@talk/shared/ids';
import type { CreateTalkBody, Page, Participant, Talk, TalkListQuery } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import { requireReader } from './access';
import type { RequestContext, TalkDeps } from './context';
import type { StoredTalk } from './ports';
import { createDirectPairs } from './direct-pairs';
import { cutPage, decodePageToken, encodePageToken } from './page-token';
import { directPairKey } from './pair-key';
import { decideOpening, talkCreation } from './talk-openings';

export type CreatedTalk = { readonly talk: Talk; readonly created: boolean };

const TalkCursor = z.object({ t: z.iso.datetime(), id: z.string() });

/** The talk as the contract has it, with its participant count in its place. */
function withParticipantCount(talk: StoredTalk, participantCount: number): Talk {
  return {
    id: talk.id,
    customer_id: talk.customer_id,
    type: talk.type,
    name: talk.name,
    status: talk.status,
    creator_id: talk.creator_id,
    participant_count: participantCount,
    last_message_at: talk.last_message_at,
    tm_create: talk.tm_create,
    tm_update: talk.tm_update,
  };
}

export function createTalks(deps: TalkDeps) {
  const { talks, agents, recorder, clock } = deps;
  const directPairs = createDirectPairs(deps);

  async function render(talk: StoredTalk): Promise<Talk> {
    const counts = await talks.countActiveParticipants([talk.id]);
    return withParticipantCount(talk, counts.get(talk.id) ?? 0);
  }

  async function requireActiveAgents(customerId: string, agentIds: readonly string[]): Promise<Map<string, string>> {
    const found = await agents.findAgents(customerId, agentIds);
    const names = new Map(found.filter((a) => a.status === 'active').map((a) => [a.id, a.name]));
    const missing = agentIds.filter((id) => !names.has(id));
    if (missing.length > 0) {
      throw new AppError('NOT_FOUND', `agent(s) ${missing.join(', ')} were not found or are deactivated`, {
        fields: [{ field: 'participant_ids', problem: `unknown or deactivated: ${missing.join(', ')}` }],
      });
    }
    return names;
  }

  return {
    async create(ctx: RequestContext, body: CreateTalkBody): Promise<CreatedTalk> {
      const { caller } = ctx;
      const others = [...new Set(body.participant_ids)].filter((id) => id !== caller.agentId);
      if (body.type === 'direct' && others.length !== 1) {
        throw new AppError('INVALID_ARGUMENT', 'a direct talk needs exactly one other agent in participant_ids', {
          fields: [{ field: 'participant_ids', problem: 'must name exactly one agent other than the caller' }],
        });
      }
      const names = await requireActiveAgents(caller.customerId, [caller.agentId, ...others]);
      const at = toTimestamp(clock());
      const talkId = newId();
      const members: Participant[] = [caller.agentId, ...others].map((agentId) => ({
        id: newId(),
        talk_id: talkId,
        agent_id: agentId,
        status: 'active',
        tm_joined: at,
        tm_left: null,
      }));
      const talk: Talk = {
        id: talkId,
        customer_id: caller.customerId,
        type: body.type,
        name: body.name ?? (body.type === 'direct' ? '' : [...names.values()].join(', ').slice(0, 255)),
        status: 'active',
        creator_id: caller.agentId,
        participant_count: members.length,
        last_message_at: null,
        tm_create: at,
        tm_update: at,
      };
      const creation = talkCreation(talk, members);
      const opened =
        body.type === 'direct'
          ? await directPairs.openNew(ctx, directPairKey(caller.customerId, caller.agentId, others[0] ?? ''), creation)
          : { talk: (await recorder.decide(talkId, decideOpening({ kind: 'create', ...creation }), ctx.log, ctx.requestId)).answer, created: true };
      if (opened.created) ctx.log.info({ talkId: opened.talk.id, type: talk.type, participants: members.length }, 'talk created');
      return opened;
    },

    async get(ctx: RequestContext, talkId: string): Promise<Talk> {
      const { talk } = await requireReader(deps, ctx.caller, talkId);
      return render(talk);
    },

    async list(ctx: RequestContext, query: TalkListQuery): Promise<Page<Talk>> {
      const cursor = decodePageToken(query.page_token, TalkCursor);
      const stored = await talks.listTalksOfAgent(ctx.caller.agentId, {
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(cursor === undefined ? {} : { after: { tmUpdate: new Date(cursor.t), id: cursor.id } }),
        limit: query.page_size + 1,
      });
      const { page, next } = cutPage(stored, query.page_size, (last) => encodePageToken({ t: last.tm_update, id: last.id }));
      const counts = await talks.countActiveParticipants(page.map((t) => t.id));
      return { result: page.map((t) => withParticipantCount(t, counts.get(t.id) ?? 0)), next_page_token: next };
    },
  };
}

export type Talks = ReturnType<typeof createTalks>;
