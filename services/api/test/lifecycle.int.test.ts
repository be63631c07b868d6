/** Renaming, closing and reopening talks; editing and deleting messages. */
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { Message, Participant, Talk } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, expectError, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Events = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number() });
const Participants = z.object({ result: z.array(Participant) });
const Page = z.object({ result: z.array(Message), next_page_token: z.string().nullable() });

describe('talk lifecycle and message changes', () => {
  let stack: Stack;
  let a: TestAgent, b: TestAgent, c: TestAgent, stranger: TestAgent;

  beforeAll(async () => {
    stack = await startStack('lifecycle');
    [a, b, c] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C'])).agents;
    [stranger] = (await createCustomer(stack.api(), ['Stranger'])).agents;
  });
  afterAll(() => stack.stop());

  const call = (agent: TestAgent, method: string, path: string, body?: unknown) =>
    stack.api().request(method, `/v1.0${path}`, { token: agent.token, ...(body === undefined ? {} : { body }) });

  async function eventTypes(talkId: string, reader: TestAgent = a): Promise<string[]> {
    return expectBody(await call(reader, 'GET', `/talks/${talkId}/events?limit=1000`), 200, Events).result.map((e) => e.type);
  }

  it('renames a talk, once per change, only for its participants', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const renamed = expectBody(await call(b, 'PUT', `/talks/${talk.id}`, { name: 'Customer Issue #12345' }), 200, Talk);
    expect(renamed).toMatchObject({ id: talk.id, name: 'Customer Issue #12345', participant_count: 2 });
    expectBody(await call(a, 'PUT', `/talks/${talk.id}`, { name: 'Customer Issue #12345' }), 200, Talk);
    expect((await eventTypes(talk.id)).filter((t) => t === 'talk_updated')).toHaveLength(1);
    expect(expectBody(await call(a, 'GET', `/talks/${talk.id}`), 200, Talk).name).toBe('Customer Issue #12345');
    expectError(await call(stranger, 'PUT', `/talks/${talk.id}`, { name: 'x' }), 404, 'NOT_FOUND');
    expectError(await call(a, 'PUT', `/talks/${talk.id}`, { name: '' }), 400, 'INVALID_ARGUMENT');
    expectError(await call(a, 'PUT', `/talks/${talk.id}`, { name: 'n'.repeat(256) }), 400, 'INVALID_ARGUMENT');
  });

  it('closes idempotently; a closed talk refuses writes with TALK_CLOSED and stays readable', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'before closing' }), 201, Message);
    expect(expectBody(await call(a, 'POST', `/talks/${talk.id}/close`), 200, Talk).status).toBe('closed');
    expect(expectBody(await call(b, 'POST', `/talks/${talk.id}/close`), 200, Talk).status).toBe('closed');
    expect((await eventTypes(talk.id)).filter((t) => t === 'talk_closed')).toHaveLength(1);

    expectError(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'after' }), 409, 'TALK_CLOSED');
    expectError(await call(a, 'POST', `/talks/${talk.id}/participants`, { agent_id: c.id }), 409, 'TALK_CLOSED');
    expectError(await call(a, 'PUT', `/talks/${talk.id}`, { name: 'new name' }), 409, 'TALK_CLOSED');
    const history = expectBody(await call(b, 'GET', `/talks/${talk.id}/messages`), 200, Page);
    expect(history.result.map((m) => m.text)).toContain('before closing');
  });

  it('reopens a closed talk once, and a participant who had left joins again', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const ofB = expectBody(await call(a, 'GET', `/talks/${talk.id}/participants`), 200, Participants).result.find((p) => p.agent_id === b.id);
    if (ofB === undefined) throw new Error('B is a participant');
    expectBody(await call(b, 'DELETE', `/talks/${talk.id}/participants/${ofB.id}`), 200, Participant);
    expectBody(await call(a, 'POST', `/talks/${talk.id}/close`), 200, Talk);

    const reopened = expectBody(await call(b, 'POST', `/talks/${talk.id}/reopen`), 200, Talk);
    expect(reopened).toMatchObject({ status: 'active', participant_count: 2 });
    expectBody(await call(a, 'POST', `/talks/${talk.id}/reopen`), 200, Talk);
    const types = await eventTypes(talk.id);
    expect(types.filter((t) => t === 'talk_reopened')).toHaveLength(1);
    expect(types.at(-1)).toBe('participant_joined');
    expectBody(await call(b, 'POST', `/talks/${talk.id}/messages`, { text: 'back' }), 201, Message);
    expectError(await call(c, 'POST', `/talks/${talk.id}/reopen`), 404, 'NOT_FOUND');
  });

  it('frees a closed direct talk\'s pair for a new direct talk, and will not reopen the old one beside it', async () => {
    const direct = (from: TestAgent, to: TestAgent) => call(from, 'POST', '/talks', { type: 'direct', participant_ids: [to.id] });
    const first = expectBody(await direct(b, c), 201, Talk);
    expectBody(await call(b, 'POST', `/talks/${first.id}/close`), 200, Talk);
    const second = expectBody(await direct(c, b), 201, Talk);
    expect(second.id).not.toBe(first.id);
    expectError(await call(b, 'POST', `/talks/${first.id}/reopen`), 409, 'CONFLICT');
    expect(expectBody(await direct(b, c), 200, Talk).id).toBe(second.id);
  });

  it('lets only the author edit a message; the edit is recorded once', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const message = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'Let me check the logs' }), 201, Message);
    const edited = expectBody(await call(a, 'PUT', `/messages/${message.id}`, { text: 'Let me check the gateway logs' }), 200, Message);
    expect(edited).toMatchObject({ id: message.id, seq: message.seq, text: 'Let me check the gateway logs', edited: true });
    expect(expectBody(await call(b, 'GET', `/messages/${message.id}`), 200, Message)).toEqual(edited);
    expectBody(await call(a, 'PUT', `/messages/${message.id}`, { text: 'Let me check the gateway logs' }), 200, Message);
    expect((await eventTypes(talk.id)).filter((t) => t === 'message_updated')).toHaveLength(1);

    expectError(await call(b, 'PUT', `/messages/${message.id}`, { text: 'hijack' }), 403, 'PERMISSION_DENIED');
    expectError(await call(stranger, 'PUT', `/messages/${message.id}`, { text: 'hijack' }), 404, 'NOT_FOUND');
    expectError(await call(a, 'PUT', `/messages/${message.id}`, { text: '  ' }), 400, 'INVALID_ARGUMENT');
    expectError(await call(a, 'PUT', `/messages/${message.id}`, {}), 400, 'INVALID_ARGUMENT');
  });

  it('deletes a message as a tombstone that keeps its place and its replies', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const media = { type: 'image/png', url: 'https://example.com/shot.png', name: 'shot.png' };
    const root = expectBody(await call(a, 'POST', `/talks/${talk.id}/messages`, { text: 'Customer reporting payment failure', medias: [media] }), 201, Message);
    const reply = expectBody(await call(b, 'POST', `/talks/${talk.id}/messages`, { text: 'Found it', parent_id: root.id }), 201, Message);

    expectError(await call(b, 'DELETE', `/messages/${root.id}`), 403, 'PERMISSION_DENIED');
    const tombstone = expectBody(await call(a, 'DELETE', `/messages/${root.id}`), 200, Message);
    expect(tombstone).toMatchObject({ id: root.id, seq: root.seq, deleted: true, text: '', medias: [], reactions: [] });
    expect(expectBody(await call(a, 'DELETE', `/messages/${root.id}`), 200, Message)).toEqual(tombstone);
    expect((await eventTypes(talk.id)).filter((t) => t === 'message_deleted')).toHaveLength(1);

    const listed = expectBody(await call(b, 'GET', `/talks/${talk.id}/messages`), 200, Page).result.find((m) => m.id === root.id);
    expect(listed).toEqual(tombstone);
    expect(expectBody(await call(b, 'GET', `/messages/${reply.id}`), 200, Message).parent_id).toBe(root.id);
    expectError(await call(a, 'PUT', `/messages/${root.id}`, { text: 'undo' }), 409, 'CONFLICT');
  });
});
