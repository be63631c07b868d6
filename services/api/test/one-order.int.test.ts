/**
 * Changes that meet on one talk are decided one after the other, each knowing the ones before it
 * (event-log.ts `decide`): fired at the same moment on two API replicas, many times, the recorded
 * stream and the final state are always those of some serial order.
 */
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { Message, Talk } from '@talk/shared/schemas';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createStore, type Store } from '@talk/store/store';
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
  let c: TestAgent;
  let talkId: string;
  let mongo: MongoClient;
  let store: Store;

  beforeAll(async () => {
    stack = await startStack('one_order', { apis: 2 });
    mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    store = createStore(mongo.db(stack.iso.db));
    [a, b, c] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C'])).agents as [TestAgent, TestAgent, TestAgent];
    talkId = (await createGroupTalk(stack.api(), a, [b])).id;
  });
  afterAll(async () => {
    await mongo.close();
    await stack.stop();
  });

  async function talkEvents(id: string): Promise<TalkChangeEvent[]> {
    return expectBody(await stack.api().request('GET', `/v1.0/talks/${id}/events?limit=1000`, { token: a.token }), 200, Events).result;
  }

  /** Everything recorded after the talk's last `talk_closed`, when no `talk_reopened` follows it. */
  function afterClose(events: readonly TalkChangeEvent[]): TalkChangeEvent[] {
    const closedAt = events.map((event) => event.type).lastIndexOf('talk_closed');
    return closedAt === -1 ? [] : events.slice(closedAt + 1);
  }

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

  it('never undoes a close with a rename that meets it', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const talk = await createGroupTalk(stack.api(), a, [b]);
      const [rename, close] = await Promise.all([
        stack.api(trial % 2).request('PUT', `/v1.0/talks/${talk.id}`, { token: a.token, body: { name: `renamed ${trial}` } }),
        stack.api((trial + 1) % 2).request('POST', `/v1.0/talks/${talk.id}/close`, { token: b.token }),
      ]);
      expect(close.status).toBe(200);
      expect([200, 409]).toContain(rename.status);
      expect(afterClose(await talkEvents(talk.id))).toEqual([]);
      for (const replica of [0, 1]) {
        expect(expectBody(await stack.api(replica).request('GET', `/v1.0/talks/${talk.id}`, { token: a.token }), 200, Talk).status).toBe('closed');
      }
    }
  });

  it('records no join and no message after a close that meets them', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const talk = await createGroupTalk(stack.api(), a, [b]);
      const [close, add, posted] = await Promise.all([
        stack.api(trial % 2).request('POST', `/v1.0/talks/${talk.id}/close`, { token: a.token }),
        stack.api((trial + 1) % 2).request('POST', `/v1.0/talks/${talk.id}/participants`, { token: b.token, body: { agent_id: c.id } }),
        stack.api((trial + 1) % 2).request('POST', `/v1.0/talks/${talk.id}/messages`, { token: b.token, body: { text: `last word ${trial}` } }),
      ]);
      expect(close.status).toBe(200);
      expect([201, 409]).toContain(add.status);
      expect([201, 409]).toContain(posted.status);
      const late = afterClose(await talkEvents(talk.id)).filter((event) => event.type !== 'message_created' || event.data.type !== 'system');
      expect(late).toEqual([]);
    }
  });

  it('closes a talk once when its last two participants leave together', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const talk = await createGroupTalk(stack.api(), a, [b]);
      const participants = expectBody(
        await stack.api().request('GET', `/v1.0/talks/${talk.id}/participants`, { token: a.token }),
        200,
        z.object({ result: z.array(z.object({ id: z.string(), agent_id: z.string() }).loose()) }),
      ).result;
      const own = (agent: TestAgent): string => participants.find((p) => p.agent_id === agent.id)?.id ?? '';
      const left = await Promise.all(
        [a, b].map((agent, i) => stack.api((trial + i) % 2).request('DELETE', `/v1.0/talks/${talk.id}/participants/${own(agent)}`, { token: agent.token })),
      );
      expect(left.map((response) => response.status)).toEqual([200, 200]);
      // Neither of them may read past its own leave: the log itself says how the talk ended.
      const events = await store.events.listAfter(talk.id, 0, 1_000);
      expect(events.filter((event) => event.type === 'talk_closed')).toHaveLength(1);
      expect(events.at(-1)?.type === 'talk_closed' || afterClose(events).every((event) => event.type === 'message_created')).toBe(true);
    }
  });
});
