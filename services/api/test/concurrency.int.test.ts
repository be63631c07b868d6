/**
 * Rules that must hold when requests race, on two API replicas at once: one direct talk per pair,
 * one message per client_message_id, one participant (and one join) per agent.
 */
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { Message, Participant, Talk } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Events = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number() });
const Page = z.object({ result: z.array(Message), next_page_token: z.string().nullable() });

describe('concurrent requests on two replicas', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('concurrency', { apis: 2 });
  });
  afterAll(() => stack.stop());

  const replica = (i: number) => stack.api(i % 2);

  it('creates one direct talk for a pair, however many creates race', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        replica(i).request('POST', '/v1.0/talks', {
          token: i % 2 === 0 ? a.token : b.token,
          body: { type: 'direct', participant_ids: [i % 2 === 0 ? b.id : a.id] },
        }),
      ),
    );
    const talks = responses.map((r) => expectBody(r, r.status === 201 ? 201 : 200, Talk));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(talks.map((t) => t.id)).size).toBe(1);
  });

  it('records a retried send once, however the retries race across replicas', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        replica(i).request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'once', client_message_id: 'c-1' } }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    const messages = responses.map((r) => expectBody(r, r.status === 201 ? 201 : 200, Message));
    expect(new Set(messages.map((m) => m.id)).size).toBe(1);
    const listed = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/messages`, { token: b.token }), 200, Page);
    expect(listed.result.filter((m) => m.text === 'once')).toHaveLength(1);
    const events = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/events?limit=1000`, { token: a.token }), 200, Events);
    expect(events.result.filter((e) => e.type === 'message_created' && e.data.text === 'once')).toHaveLength(1);
  });

  it('adds a participant once, however many adds race', async () => {
    const [a, b, c] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C'])).agents;
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        replica(i).request('POST', `/v1.0/talks/${talk.id}/participants`, { token: i % 2 === 0 ? a.token : b.token, body: { agent_id: c.id } }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    const participants = responses.map((r) => expectBody(r, r.status === 201 ? 201 : 200, Participant));
    expect(new Set(participants.map((p) => p.id)).size).toBe(1);
    const events = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/events?limit=1000`, { token: a.token }), 200, Events);
    expect(events.result.filter((e) => e.type === 'participant_joined' && e.data.agent_id === c.id)).toHaveLength(1);
    expect(expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}`, { token: c.token }), 200, Talk).participant_count).toBe(3);
  });

  it('numbers concurrent messages with gap-free, unique seqs', async () => {
    const [a, b] = (await createCustomer(stack.api(), ['Agent A', 'Agent B'])).agents;
    const talk = await createGroupTalk(stack.api(), a, [b]);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        replica(i).request('POST', `/v1.0/talks/${talk.id}/messages`, { token: i % 2 === 0 ? a.token : b.token, body: { text: `m${i}` } }),
      ),
    );
    const events = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/events?limit=1000`, { token: a.token }), 200, Events);
    const seqs = events.result.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(events.last_seq).toBe(seqs.length);
    expect(events.result.filter((e) => e.type === 'message_created')).toHaveLength(20);
  });
});
