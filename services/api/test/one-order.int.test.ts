/**
 * Changes that meet on one talk are decided one after the other, each knowing the ones before it
 * (event-log.ts `decide`): fired at the same moment on two API replicas, many times, the recorded
 * stream and the final state are always those of some serial order.
 */
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { Message } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Events = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number() });
const TRIALS = 15;

/** The message an event is about, if it is a message's or a reaction's. */
function messageIdOf(event: TalkChangeEvent): string | undefined {
  if (event.type === 'message_created' || event.type === 'message_updated' || event.type === 'message_deleted') return event.data.id;
  if (event.type === 'reaction_added' || event.type === 'reaction_removed') return event.data.message_id;
  return undefined;
}

describe('one talk, one order, on two replicas', () => {
  let stack: Stack;
  let a: TestAgent;
  let b: TestAgent;
  let talkId: string;

  beforeAll(async () => {
    stack = await startStack('one_order', { apis: 2 });
    [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents as [TestAgent, TestAgent];
    talkId = (await createGroupTalk(stack.api(), a, [b])).id;
  });
  afterAll(() => stack.stop());

  const post = async (text: string): Promise<Message> =>
    expectBody(await stack.api(0).request('POST', `/v1.0/talks/${talkId}/messages`, { token: a.token, body: { text } }), 201, Message);

  async function eventsOf(messageId: string): Promise<TalkChangeEvent[]> {
    const events = expectBody(await stack.api().request('GET', `/v1.0/talks/${talkId}/events?limit=1000`, { token: a.token }), 200, Events);
    return events.result.filter((event) => messageIdOf(event) === messageId);
  }

  async function expectTombstone(messageId: string): Promise<void> {
    for (const replica of [0, 1]) {
      const read = expectBody(await stack.api(replica).request('GET', `/v1.0/messages/${messageId}`, { token: b.token }), 200, Message);
      expect(read).toMatchObject({ deleted: true, text: '', medias: [], reactions: [] });
    }
  }

  it('keeps a deleted message a tombstone when an edit meets its delete, and refuses the edit that comes second', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const message = await post(`edit or delete ${trial}`);
      const [edit, remove] = await Promise.all([
        stack.api(trial % 2).request('PUT', `/v1.0/messages/${message.id}`, { token: a.token, body: { text: `edited ${trial}` } }),
        stack.api((trial + 1) % 2).request('DELETE', `/v1.0/messages/${message.id}`, { token: a.token }),
      ]);
      expect(remove.status).toBe(200);
      const types = (await eventsOf(message.id)).map((event) => event.type);
      if (edit.status === 200) expect(types).toEqual(['message_created', 'message_updated', 'message_deleted']);
      else {
        expect(edit.body).toMatchObject({ error: { code: 'CONFLICT' } });
        expect(types).toEqual(['message_created', 'message_deleted']);
      }
      await expectTombstone(message.id);
    }
  });

  it('never records a reaction after the delete of its message, so no event brings its text back', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const message = await post(`react or delete ${trial}`);
      const [react, remove] = await Promise.all([
        stack.api(trial % 2).request('POST', `/v1.0/messages/${message.id}/reactions`, { token: b.token, body: { emoji: 'thumbsup' } }),
        stack.api((trial + 1) % 2).request('DELETE', `/v1.0/messages/${message.id}`, { token: a.token }),
      ]);
      expect(remove.status).toBe(200);
      const events = await eventsOf(message.id);
      const deletedAt = events.findIndex((event) => event.type === 'message_deleted');
      expect(events.slice(deletedAt + 1)).toEqual([]);
      for (const event of events.slice(1)) {
        if (event.type === 'reaction_added') expect(event.data.message).toMatchObject({ deleted: false, text: `react or delete ${trial}` });
      }
      expect(react.status === 201 || (react.status === 409 && events.every((event) => event.type !== 'reaction_added'))).toBe(true);
      await expectTombstone(message.id);
    }
  });

  it('counts each agent once in a reaction, however the same reaction races', async () => {
    const message = await post('react twice');
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        stack.api(i % 2).request('POST', `/v1.0/messages/${message.id}/reactions`, { token: b.token, body: { emoji: 'tada' } }),
      ),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    expect((await eventsOf(message.id)).filter((event) => event.type === 'reaction_added')).toHaveLength(1);
    const read = expectBody(await stack.api().request('GET', `/v1.0/messages/${message.id}`, { token: a.token }), 200, Message);
    expect(read.reactions).toEqual([{ emoji: 'tada', count: 1, agent_ids: [b.id] }]);
  });
});
