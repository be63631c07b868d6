/** Creating, reading and listing talks (the REST contract (the OpenAPI document at /docs)). */
import { z } from 'zod';
import { AppError } from '@talk/shared/errors';
import { newId } from '@talk/shared/ids';
import type { CreateTalkBody, Page, Participant, ReadState, Talk, TalkListQuery } from '@talk/shared/schemas';
import { toTimestamp } from '@talk/shared/time';
import { requireReader } from './access';
import type { RequestContext, TalkDeps } from './context';
import type { MemberTalk, StoredTalk } from './ports';
import { createReadState, hasUnread } from './read-state';
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
    last_read_seq: null,
    unread_count: null,
    unread_mention_count: null,
  };
}

export function createTalks(deps: TalkDeps) {
  const { talks, agents, recorder, clock } = deps;
  const directPairs = createDirectPairs(deps);
  const readState = createReadState(deps);

  /** The caller's talks of a page, with their participant counts and the caller's read state (`known`: read already). */
  async function render(page: readonly MemberTalk[], known?: ReadonlyMap<string, ReadState>): Promise<Talk[]> {
    const [counts, states] = await Promise.all([
      talks.countActiveParticipants(page.map(({ talk }) => talk.id)),
      known === undefined ? readState.statesOf(page.map(({ talk, membership }) => ({ talkId: talk.id, membership }))) : page.map(({ talk }) => known.get(talk.id)),
    ]);
    return page.map(({ talk }, i) => {
      const state = states[i];
      const shared = withParticipantCount(talk, counts.get(talk.id) ?? 0);
      return state === undefined ? shared : readState.withReadState(shared, state);
    });
  }

  /**
   * The caller's talks with unread messages or mentions, in order, until `limit` of them (one more
   * tells of a next page), with the read states found on the way.
   */
  async function withUnread(all: readonly MemberTalk[], limit: number): Promise<{ talks: MemberTalk[]; states: Map<string, ReadState> }> {
    const found: MemberTalk[] = [];
    const states = new Map<string, ReadState>();
    for (let from = 0; from < all.length && found.length < limit; from += limit) {
      const chunk = all.slice(from, from + limit);
      const read = await readState.statesOf(chunk.map(({ talk, membership }) => ({ talkId: talk.id, membership })));
      chunk.forEach((entry, i) => {
        const state = read[i];
        if (state === undefined || !hasUnread(state)) return;
        found.push(entry);
        states.set(entry.talk.id, state);
      });
    }
    return { talks: found.slice(0, limit), states };
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
        last_read_seq: null,
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
        last_read_seq: null,
        unread_count: null,
        unread_mention_count: null,
      };
      const creation = talkCreation(talk, members);
      const opened =
        body.type === 'direct'
          ? await directPairs.openNew(ctx, directPairKey(caller.customerId, caller.agentId, others[0] ?? ''), creation)
          : { talk: (await recorder.decide(talkId, decideOpening({ kind: 'create', ...creation }), ctx.log, ctx.requestId)).answer, created: true };
      if (opened.created) ctx.log.info({ talkId: opened.talk.id, type: talk.type, participants: members.length }, 'talk created');
      return { talk: await readState.talkForCaller(caller, opened.talk), created: opened.created };
    },

    async get(ctx: RequestContext, talkId: string): Promise<Talk> {
      const { talk, membership } = await requireReader(deps, ctx.caller, talkId);
      const [rendered] = await render([{ talk, membership }]);
      if (rendered === undefined) throw new Error(`talk ${talkId} did not render`);
      return rendered;
    },

    async list(ctx: RequestContext, query: TalkListQuery): Promise<Page<Talk>> {
      const cursor = decodePageToken(query.page_token, TalkCursor);
      const onlyUnread = query.unread === true;
      const stored = await talks.listTalksOfAgent(ctx.caller.agentId, {
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(cursor === undefined ? {} : { after: { tmUpdate: new Date(cursor.t), id: cursor.id } }),
        // Filtering on read state reads the caller's talks in order until a page has news.
        limit: onlyUnread ? Number.MAX_SAFE_INTEGER : query.page_size + 1,
      });
      const unread = onlyUnread ? await withUnread(stored, query.page_size + 1) : undefined;
      const { page, next } = cutPage(unread?.talks ?? stored, query.page_size, (last) => encodePageToken({ t: last.talk.tm_update, id: last.talk.id }));
      return { result: await render(page, unread?.states), next_page_token: next };
    },
  };
}

export type Talks = ReturnType<typeof createTalks>;
