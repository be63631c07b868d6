/** Deactivating an agent: its tokens stop working and its participations end. */
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { Agent, Participant, Talk } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, expectError } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Events = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number() });
const Participants = z.object({ result: z.array(Participant) });

describe('agent deactivation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('deactivation');
  });
  afterAll(() => stack.stop());

  it('ends the agent\'s participations, closes talks it was last in, and refuses its token', async () => {
    const acme = await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C']);
    const [a, b, c] = acme.agents;
    const api = stack.api();
    const shared = await createGroupTalk(api, a, [b]);
    const direct = expectBody(await api.request('POST', '/v1.0/talks', { token: c.token, body: { type: 'direct', participant_ids: [b.id] } }), 201, Talk);
    const participants = expectBody(await api.request('GET', `/v1.0/talks/${direct.id}/participants`, { token: c.token }), 200, Participants);
    const ofC = participants.result.find((p) => p.agent_id === c.id);
    if (ofC === undefined) throw new Error('C is in the direct talk');
    expectBody(await api.request('DELETE', `/v1.0/talks/${direct.id}/participants/${ofC.id}`, { token: c.token }), 200, Participant);

    const path = `/v1.0/agents/${b.id}?accesskey=${acme.accesskey}`;
    expectError(await api.request('DELETE', `/v1.0/agents/${b.id}`), 401, 'UNAUTHENTICATED');
    const other = await createCustomer(api, []);
    expectError(await api.request('DELETE', `/v1.0/agents/${b.id}?accesskey=${other.accesskey}`), 404, 'NOT_FOUND');
    expect(expectBody(await api.request('DELETE', path), 200, Agent).status).toBe('deactivated');
    expect(expectBody(await api.request('DELETE', path), 200, Agent).status).toBe('deactivated');

    expectError(await api.request('GET', '/v1.0/talks', { token: b.token }), 401, 'UNAUTHENTICATED');
    expectError(
      await api.request('POST', '/v1.0/auth/login', { body: { customer_id: acme.id, username: 'agent.b', password: 'correct horse battery' } }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await api.request('POST', `/v1.0/talks/${shared.id}/participants`, { token: a.token, body: { agent_id: b.id } }), 404, 'NOT_FOUND');

    const sharedEvents = expectBody(await api.request('GET', `/v1.0/talks/${shared.id}/events`, { token: a.token }), 200, Events).result;
    const left = sharedEvents.filter((e) => e.type === 'participant_left');
    expect(left).toHaveLength(1);
    expect(left[0]?.data).toMatchObject({ agent_id: b.id, reason: 'removed', status: 'left' });
    expect(expectBody(await api.request('GET', `/v1.0/talks/${shared.id}`, { token: a.token }), 200, Talk)).toMatchObject({ status: 'active', participant_count: 1 });
    expect(expectBody(await api.request('GET', `/v1.0/talks/${direct.id}`, { token: c.token }), 200, Talk).status).toBe('closed');
  });
});
