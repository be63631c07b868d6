/**
 * Adding and removing participants, decided on the talk's state, with hand-written fakes of the
 * ports: a talk log in memory that folds what each decision records, and directories over arrays.
 */
import { emptyTalkState, foldEvent, type TalkState } from '@talk/decisions/talk-state';
import { AppError } from '@talk/shared/errors';
import type { TalkChangeEvent } from '@talk/shared/events';
import { createLogger } from '@talk/shared/logger';
import type { Agent, Participant, Talk } from '@talk/shared/schemas';
import type { RequestContext, TalkDeps } from './context';
import { createParticipants } from './participants';
import type { AgentDirectory, MessageDirectory, PairClaimLog, ReadNotices, ReadStateDirectory, TalkDirectory, TalkLog, TalkRecorder } from './ports';

const AT = '2025-01-01T00:00:00.000Z';
const NOW = new Date('2025-01-02T00:00:00.000Z');

const agent = (id: string, status: Agent['status'] = 'active'): Agent => ({
  id,
  customer_id: 'c1',
  username: id,
  name: id.toUpperCase(),
  status,
  tm_create: AT,
});

const member = (agentId: string): Participant => ({
  id: `p-${agentId}`,
  talk_id: 't1',
  agent_id: agentId,
  status: 'active',
  tm_joined: AT,
  tm_left: null,
  last_read_seq: null,
});

function talk(type: Talk['type'], count: number): Talk {
  return {
    id: 't1',
    customer_id: 'c1',
    type,
    name: 'Q1',
    status: 'active',
    creator_id: 'alice',
    participant_count: count,
    last_message_at: null,
    tm_create: AT,
    tm_update: AT,
    last_read_seq: null,
    unread_count: null,
    unread_mention_count: null,
  };
}

/** The log's first events: the talk's creation with `members` joined. */
function opening(type: Talk['type'], members: readonly string[]): TalkChangeEvent[] {
  const created: TalkChangeEvent = { id: 'e1', type: 'talk_created', talk_id: 't1', seq: 1, tm_create: AT, data: talk(type, members.length) };
  const joins = members.map(
    (agentId, index): TalkChangeEvent => ({
      id: `e${index + 2}`,
      type: 'participant_joined',
      talk_id: 't1',
      seq: index + 2,
      tm_create: AT,
      data: { ...member(agentId), reason: index === 0 ? 'joined' : 'added' },
    }),
  );
  return [created, ...joins];
}

const unused = (what: string) => (): never => {
  throw new Error(`${what} is not used by participant decisions`);
};

/** A talk whose log lives in memory: every decision runs on the state at its end and is recorded right after it. */
function fakeDeps(log: TalkChangeEvent[], agents: readonly Agent[]): { deps: TalkDeps; log: TalkChangeEvent[] } {
  let state: TalkState = log.reduce(foldEvent, emptyTalkState('t1'));
  const recorder: TalkRecorder = {
    async decide(talkId, decide) {
      if (talkId !== state.talkId) throw new Error(`no talk ${talkId} in this fake`);
      const decision = await decide(state, { message: () => Promise.resolve(null), reactions: () => Promise.resolve([]) });
      const events = decision.drafts.map((draft, index) => draft.build(state.seq + 1 + index));
      for (const event of events) state = foldEvent(state, event);
      log.push(...events);
      return { answer: decision.answer({ state, events }), recorded: events };
    },
  };
  const participants = (): Participant[] => [...state.members.values()];
  const talks: TalkDirectory = {
    findTalk: unused('findTalk'),
    listTalksOfAgent: unused('listTalksOfAgent'),
    countActiveParticipants: unused('countActiveParticipants'),
    findMembership: (_talkId, agentId) => {
      const found = state.members.get(agentId);
      return Promise.resolve(found === undefined ? null : { participant: found, leftAtSeq: null, joinedSeq: 0 });
    },
    findParticipantById: (_talkId, participantId) => Promise.resolve(participants().find((p) => p.id === participantId) ?? null),
    listParticipants: () => Promise.resolve(participants().map((participant) => ({ participant, leftAtSeq: null, joinedSeq: 0 }))),
    listActiveParticipationsOf: unused('listActiveParticipationsOf'),
  };
  const agentDirectory: AgentDirectory = {
    insertAgent: unused('insertAgent'),
    findAgent: (customerId, agentId) => Promise.resolve(agents.find((a) => a.id === agentId && a.customer_id === customerId) ?? null),
    findAgents: unused('findAgents'),
    findCredentials: unused('findCredentials'),
    listAgents: unused('listAgents'),
    deactivateAgent: unused('deactivateAgent'),
  };
  const messages: MessageDirectory = {
    findMessage: unused('findMessage'),
    listTopLevel: unused('listTopLevel'),
    listReplies: unused('listReplies'),
    render: unused('render'),
    renderOne: unused('renderOne'),
    withThread: unused('withThread'),
    listMentioning: unused('listMentioning'),
  };
  const events: TalkLog = { lastSeq: unused('lastSeq'), state: unused('state'), find: unused('find'), listAfter: unused('listAfter') };
  const pairClaims: PairClaimLog = { newest: unused('newest'), record: unused('record') };
  // Nobody has marked anything: every marker is where its reader joined.
  const readStates: ReadStateDirectory = { stateOf: unused('stateOf'), markerOf: (reader) => Promise.resolve(reader.joinedSeq), markRead: unused('markRead') };
  const readNotices: ReadNotices = { publish: unused('publish') };
  return { deps: { talks, agents: agentDirectory, messages, events, pairClaims, recorder, readStates, readNotices, clock: () => NOW }, log };
}

const ctxOf = (agentId: string): RequestContext => ({
  caller: { agentId, customerId: 'c1' },
  log: createLogger('test', 'silent'),
  requestId: 'r1',
});

const typesAfter = (log: readonly TalkChangeEvent[], seq: number): string[] => log.filter((e) => e.seq > seq).map((e) => e.type);

describe('participants on fake ports', () => {
  it('adds an active agent with one participant_joined, and adding it again records nothing', async () => {
    const { deps, log } = fakeDeps(opening('group', ['alice', 'bob']), [agent('alice'), agent('bob'), agent('carol')]);
    const participants = createParticipants(deps);

    const added = await participants.add(ctxOf('alice'), 't1', 'carol');
    expect(added).toMatchObject({ created: true, participant: { agent_id: 'carol', status: 'active', tm_joined: NOW.toISOString() } });
    expect(typesAfter(log, 3)).toEqual(['participant_joined']);

    const again = await participants.add(ctxOf('alice'), 't1', 'carol');
    expect(again).toEqual({ created: false, participant: added.participant });
    expect(log).toHaveLength(4);
  });

  it('refuses an add to a direct talk, and of a deactivated agent, recording nothing', async () => {
    const direct = fakeDeps(opening('direct', ['alice', 'bob']), [agent('alice'), agent('bob'), agent('carol')]);
    await expect(createParticipants(direct.deps).add(ctxOf('alice'), 't1', 'carol')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(direct.log).toHaveLength(3);

    const group = fakeDeps(opening('group', ['alice', 'bob']), [agent('alice'), agent('bob'), agent('dave', 'deactivated')]);
    await expect(createParticipants(group.deps).add(ctxOf('alice'), 't1', 'dave')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(group.log).toHaveLength(3);
  });

  it('hides the talk from an agent that is not a participant', async () => {
    const { deps } = fakeDeps(opening('group', ['alice', 'bob']), [agent('alice'), agent('bob'), agent('carol')]);
    const refused = createParticipants(deps).add(ctxOf('carol'), 't1', 'carol');
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('removes a participant, and closes the talk when the last one leaves', async () => {
    const { deps, log } = fakeDeps(opening('group', ['alice', 'bob']), [agent('alice'), agent('bob')]);
    const participants = createParticipants(deps);

    const removed = await participants.remove(ctxOf('alice'), 't1', 'p-bob');
    expect(removed).toMatchObject({ agent_id: 'bob', status: 'left', tm_left: NOW.toISOString() });
    expect(log.at(-1)).toMatchObject({ type: 'participant_left', data: { agent_id: 'bob', reason: 'removed' } });

    await participants.remove(ctxOf('alice'), 't1', 'p-alice');
    expect(typesAfter(log, 3)).toEqual(['participant_left', 'participant_left', 'talk_closed']);
    expect(log.at(-2)).toMatchObject({ data: { agent_id: 'alice', reason: 'left' } });
    expect(log.at(-1)).toMatchObject({ type: 'talk_closed', data: { status: 'closed', participant_count: 0 } });
  });

  it('answers NOT_FOUND for a participant id the talk does not have', async () => {
    const { deps, log } = fakeDeps(opening('group', ['alice', 'bob']), [agent('alice'), agent('bob')]);
    await expect(createParticipants(deps).remove(ctxOf('alice'), 't1', 'p-nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(log).toHaveLength(3);
  });
});
