/** Reactions (unique in the database, counted under concurrency) and threads with derived counts. */
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { Message } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, expectError, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Events = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number() });
const Page = z.object({ result: z.array(Message), next_page_token: z.string().nullable() });

describe('reactions and threads', () => {
  let stack: Stack;
  let a: TestAgent, b: TestAgent, c: TestAgent, d: TestAgent, e: TestAgent, stranger: TestAgent;

  beforeAll(async () => {
    stack = await startStack('reactions');
    [a, b, c, d, e] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C', 'Agent D', 'Agent E'])).agents;
    [stranger] = (await createCustomer(stack.api(), ['Stranger'])).agents;
  });
  afterAll(() => stack.stop());

  const call = (agent: TestAgent, method: string, path: string, body?: unknown) =>
    stack.api().request(method, `/v1.0${path}`, { token: agent.token, ...(body === undefined ? {} : { body }) });
  const react = (agent: TestAgent, messageId: string, emoji: string) => call(agent, 'POST', `/messages/${messageId}/reactions`, { emoji });
  const unreact = (agent: TestAgent, messageId: string, emoji: string) =>
    call(agent, 'DELETE', `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`);

  async function events(talkId: string): Promise<TalkChangeEvent[]> {
    return expectBody(await call(a, 'GET', `/talks/${talkId}/events?limit=1000`), 200, Events).result;
  }

  it('counts a quick poll 3–1, with emoji characters and short names alike', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b, c, d, e]);
    const poll = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'Should we deploy today? 👍 for yes, 👎 for no' }), 201, Message);
    const votes = await Promise.all([react(b, poll.id, '👍'), react(c, poll.id, '👍'), react(d, poll.id, '👍'), react(e, poll.id, '👎')]);
    for (const vote of votes) expectBody(vote, 201, Message);
    const counted = expectBody(await call(a, 'GET', `/messages/${poll.id}`), 200, Message);
    expect(counted.reactions).toHaveLength(2);
    expect(counted.reactions.find((r) => r.emoji === '👍')).toMatchObject({ count: 3 });
    expect(counted.reactions.find((r) => r.emoji === '👍')?.agent_ids.sort()).toEqual([b.id, c.id, d.id].sort());
    expect(counted.reactions.find((r) => r.emoji === '👎')).toEqual({ emoji: '👎', count: 1, agent_ids: [e.id] });

    const withShortName = expectBody(await react(a, poll.id, 'thumbsup'), 201, Message);
    expect(withShortName.reactions.find((r) => r.emoji === 'thumbsup')).toEqual({ emoji: 'thumbsup', count: 1, agent_ids: [a.id] });
  });

  it('keeps one reaction per agent and emoji under concurrent requests, and records one event', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const message = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'The deployment was successful!' }), 201, Message);
    const responses = await Promise.all(Array.from({ length: 10 }, () => react(b, message.id, '🎉')));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const final = expectBody(await call(a, 'GET', `/messages/${message.id}`), 200, Message);
    expect(final.reactions).toEqual([{ emoji: '🎉', count: 1, agent_ids: [b.id] }]);
    const added = (await events(talk.id)).filter((ev) => ev.type === 'reaction_added');
    expect(added).toHaveLength(1);
    expect(added[0]?.data).toMatchObject({ message_id: message.id, emoji: '🎉', agent_id: b.id });
  });

  it('removes a reaction once: an event only when it existed', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const message = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'Done' }), 201, Message);
    expectBody(await react(b, message.id, '✅'), 201, Message);
    expect(expectBody(await unreact(b, message.id, '✅'), 200, Message).reactions).toEqual([]);
    expect(expectBody(await unreact(b, message.id, '✅'), 200, Message).reactions).toEqual([]);
    expectBody(await unreact(b, message.id, 'eyes'), 200, Message);
    expect((await events(talk.id)).filter((ev) => ev.type === 'reaction_removed')).toHaveLength(1);
  });

  it.each(['Thumbs Up', 'thumbs up', '👍👍', 'x'.repeat(65), '', 'a/b', '<script>'])('refuses %j as an emoji', async (emoji) => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const message = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'x' }), 201, Message);
    expectError(await react(b, message.id, emoji), 400, 'INVALID_ARGUMENT');
  });

  it('refuses reactions from outsiders, on deleted messages and in closed talks', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const message = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'x' }), 201, Message);
    expectError(await react(stranger, message.id, 'eyes'), 404, 'NOT_FOUND');
    expectError(await react(c, message.id, 'eyes'), 404, 'NOT_FOUND');
    expectError(await unreact(b, message.id, 'Not An Emoji'), 400, 'INVALID_ARGUMENT');
    const doomed = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'oops' }), 201, Message);
    expectBody(await react(b, doomed.id, 'eyes'), 201, Message);
    expect(expectBody(await call(a, 'DELETE', `/messages/${doomed.id}`), 200, Message).reactions).toEqual([]);
    expectError(await react(b, doomed.id, 'eyes'), 409, 'CONFLICT');
    expectBody(await call(a, 'POST', `/talks/${talk.id}/close`), 200, z.object({ status: z.literal('closed') }));
    expectError(await react(b, message.id, 'eyes'), 409, 'TALK_CLOSED');
  });

  it('counts a thread\'s replies and its last reply, also when they arrive at once, and pages the thread oldest first', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b, c]);
    const root = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: "What's the status of the API integration?" }), 201, Message);
    expect(root).toMatchObject({ reply_count: 0, last_reply_at: null });
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call(i % 2 === 0 ? b : c, 'POST', `/talks/${talk.id}/messages`, { text: `reply ${i}`, parent_id: root.id })),
    );
    const posted = replies.map((r) => expectBody(r, 201, Message));
    const nested = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'Great, let me know', parent_id: posted[0]?.id }), 201, Message);
    expect(nested.parent_id).toBe(root.id);

    const counted = expectBody(await call(b, 'GET', `/messages/${root.id}`), 200, Message);
    expect(counted.reply_count).toBe(9);
    expect(counted.last_reply_at).toBe(nested.tm_create);
    const listed = expectBody(await call(b, 'GET', `/talks/${talk.id}/messages`), 200, Page);
    expect(listed.result.map((m) => m.id)).toEqual([root.id]);
    expect(listed.result[0]?.reply_count).toBe(9);

    const thread: Message[] = [];
    let token: string | null = null;
    do {
      const query: string = token === null ? '' : `&page_token=${token}`;
      const page = expectBody(await call(c, 'GET', `/messages/${root.id}/replies?page_size=4${query}`), 200, Page);
      thread.push(...page.result);
      token = page.next_page_token;
    } while (token !== null);
    expect(thread.map((m) => m.id)).toEqual([...posted, nested].sort((x, y) => x.seq - y.seq).map((m) => m.id));
    expectError(await call(stranger, 'GET', `/messages/${root.id}/replies`), 404, 'NOT_FOUND');
  });
});
