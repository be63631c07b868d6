/**
 * The contract's limits on reactions: at most 50 distinct emoji per message, also when new ones
 * race for the last place on two replicas; and a reaction lists at most the first 100 agents who
 * reacted with it, with an exact count, the next in line taking the place of one who takes theirs
 * back. Real agents throughout: the order of reacting is the order the API recorded.
 */
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { LIMITS, Message } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, ErrorBody, expectError, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Events = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number() });
const REACTORS = 150;

jest.setTimeout(180_000);

describe('reaction limits', () => {
  let stack: Stack;
  let agents: readonly TestAgent[];

  beforeAll(async () => {
    stack = await startStack('reaction_limits', { apis: 2 });
    agents = (await createCustomer(stack.api(), Array.from({ length: REACTORS }, (_, i) => `Agent ${i + 1}`))).agents;
  });
  afterAll(() => stack.stop());

  const agent = (n: number): TestAgent => {
    const found = agents[n - 1];
    if (found === undefined) throw new Error(`no agent ${n}`);
    return found;
  };
  const call = (who: TestAgent, method: string, path: string, body?: unknown, replica = 0) =>
    stack.api(replica).request(method, `/v1.0${path}`, { token: who.token, ...(body === undefined ? {} : { body }) });
  const react = (who: TestAgent, messageId: string, emoji: string, replica = 0) => call(who, 'POST', `/messages/${messageId}/reactions`, { emoji }, replica);
  const unreact = (who: TestAgent, messageId: string, emoji: string) => call(who, 'DELETE', `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`);
  const get = async (messageId: string): Promise<Message> => expectBody(await call(agent(1), 'GET', `/messages/${messageId}`), 200, Message);
  const events = async (talkId: string): Promise<TalkChangeEvent[]> =>
    expectBody(await call(agent(1), 'GET', `/talks/${talkId}/events?limit=1000`), 200, Events).result;
  const post = async (talkId: string, text: string): Promise<Message> => expectBody(await call(agent(1), 'POST', `/talks/${talkId}/messages`, { text }), 201, Message);

  it(`refuses a ${LIMITS.reactionsMax + 1}st distinct emoji with 409 CONFLICT and writes nothing, but takes more agents on the ones it has`, async () => {
    const talk = await createGroupTalk(stack.api(), agent(1), [agent(2)]);
    const message = await post(talk.id, 'Pick your favourite');
    for (let n = 1; n <= LIMITS.reactionsMax; n += 1) expectBody(await react(agent(1), message.id, `e${n}`), 201, Message);
    const before = await events(talk.id);

    const refused = await react(agent(2), message.id, 'one_too_many');
    expectError(refused, 409, 'CONFLICT');
    expect(ErrorBody.parse(refused.body).error.message).toMatch(/already has reactions with 50 different emoji.*react with one of the emoji it has/);
    expect(await events(talk.id)).toEqual(before);
    expect((await get(message.id)).reactions.map((r) => r.emoji)).toEqual(Array.from({ length: LIMITS.reactionsMax }, (_, i) => `e${i + 1}`));

    expect(expectBody(await react(agent(2), message.id, 'e7'), 201, Message).reactions[6]).toEqual({ emoji: 'e7', count: 2, agent_ids: [agent(1).id, agent(2).id] });
    // Taking one back frees its place.
    expectBody(await unreact(agent(1), message.id, 'e1'), 200, Message);
    expectBody(await react(agent(2), message.id, 'one_too_many'), 201, Message);
  });

  it(`admits exactly one of 5 new emoji that race for the last place on two replicas (${LIMITS.reactionsMax - 1} taken)`, async () => {
    const talk = await createGroupTalk(stack.api(), agent(1), [2, 3, 4, 5, 6].map(agent));
    const message = await post(talk.id, 'Race for the last place');
    for (let n = 1; n < LIMITS.reactionsMax; n += 1) expectBody(await react(agent(1), message.id, `e${n}`), 201, Message);

    const racers = [2, 3, 4, 5, 6].map(agent);
    const answers = await Promise.all(racers.map((racer, i) => react(racer, message.id, `new_${i}`, i % 2)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const final = await get(message.id);
    expect(final.reactions).toHaveLength(LIMITS.reactionsMax);
    const winner = answers.findIndex((answer) => answer.status === 201);
    expect(final.reactions.at(-1)).toEqual({ emoji: `new_${winner}`, count: 1, agent_ids: [racers[winner]?.id] });
    expect((await events(talk.id)).filter((event) => event.type === 'reaction_added' && event.data.emoji.startsWith('new_'))).toHaveLength(1);
  });

  it(`lists the first ${LIMITS.reactionAgentIdsMax} of ${REACTORS} agents with the exact count, and the next in line when one of them takes theirs back`, async () => {
    const everyone = Array.from({ length: REACTORS }, (_, i) => agent(i + 1));
    const talk = await createGroupTalk(stack.api(), agent(1), everyone.slice(1));
    const message = await post(talk.id, 'Who is in for Friday?');
    for (const who of everyone) expectBody(await react(who, message.id, '🙋'), 201, Message);
    const ids = (...ns: number[]): string[] => ns.map((n) => agent(n).id);
    const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    expect((await get(message.id)).reactions).toEqual([{ emoji: '🙋', count: REACTORS, agent_ids: ids(...range(1, 100)) }]);
    // An agent past the first 100 is known to have reacted: 200, no event.
    expectBody(await react(agent(120), message.id, '🙋'), 200, Message);

    // The third takes theirs back: the 101st moves up.
    const afterThird = expectBody(await unreact(agent(3), message.id, '🙋'), 200, Message);
    expect(afterThird.reactions).toEqual([{ emoji: '🙋', count: 149, agent_ids: ids(1, 2, ...range(4, 101)) }]);
    // One past the first 100 takes theirs back: the count moves, the list does not; again: nothing.
    const afterUnlisted = expectBody(await unreact(agent(120), message.id, '🙋'), 200, Message);
    expect(afterUnlisted.reactions).toEqual([{ emoji: '🙋', count: 148, agent_ids: ids(1, 2, ...range(4, 101)) }]);
    expectBody(await unreact(agent(120), message.id, '🙋'), 200, Message);
    // The third reacts again, now the newest: last in line.
    expect(expectBody(await react(agent(3), message.id, '🙋'), 201, Message).reactions).toEqual([{ emoji: '🙋', count: 149, agent_ids: ids(1, 2, ...range(4, 101)) }]);
    expect(await get(message.id)).toEqual(expect.objectContaining({ reactions: [{ emoji: '🙋', count: 149, agent_ids: ids(1, 2, ...range(4, 101)) }] }));

    const reactionEvents = (await events(talk.id)).filter((event) => event.type === 'reaction_added' || event.type === 'reaction_removed');
    expect(reactionEvents).toHaveLength(REACTORS + 3);
    for (const event of reactionEvents) {
      if (event.type !== 'reaction_added' && event.type !== 'reaction_removed') continue;
      for (const reaction of event.data.message.reactions) expect(reaction.agent_ids.length).toBeLessThanOrEqual(LIMITS.reactionAgentIdsMax);
    }
    const last = reactionEvents.at(-1);
    expect(last?.type === 'reaction_added' ? last.data.message.reactions : null).toEqual([{ emoji: '🙋', count: 149, agent_ids: ids(1, 2, ...range(4, 101)) }]);
  });
});
