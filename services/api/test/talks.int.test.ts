/** Talks, participants and messages through the REST API against real servers. */
import { z } from 'zod';
import { Message, Participant, Talk } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, expectError, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Page = <T extends z.ZodType>(item: T) => z.object({ result: z.array(item), next_page_token: z.string().nullable() });
const Participants = z.object({ result: z.array(Participant) });

describe('talks, participants and messages', () => {
  let stack: Stack;
  let acmeId: string;
  let a: TestAgent, b: TestAgent, c: TestAgent, d: TestAgent, stranger: TestAgent;

  beforeAll(async () => {
    stack = await startStack('talks');
    const acme = await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C', 'Agent D']);
    const globex = await createCustomer(stack.api(), ['Stranger']);
    acmeId = acme.id;
    [a, b, c, d] = acme.agents;
    [stranger] = globex.agents;
  });
  afterAll(() => stack.stop());

  const post = (agent: TestAgent, talkId: string, body: unknown) =>
    stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, body });

  it('creates a group talk with the creator joined, and shows it only to its participants', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    expect(talk).toMatchObject({ type: 'group', status: 'active', creator_id: a.id, participant_count: 2, customer_id: acmeId });

    const participants = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/participants`, { token: b.token }), 200, Participants);
    expect(participants.result.map((p) => p.agent_id).sort()).toEqual([a.id, b.id].sort());

    expect(expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}`, { token: b.token }), 200, Talk).id).toBe(talk.id);
    expectError(await stack.api().request('GET', `/v1.0/talks/${talk.id}`, { token: c.token }), 404, 'NOT_FOUND');
    expectError(await stack.api().request('GET', `/v1.0/talks/${talk.id}`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(await stack.api().request('GET', `/v1.0/talks/${talk.id}/messages`, { token: stranger.token }), 404, 'NOT_FOUND');

    const listed = expectBody(await stack.api().request('GET', '/v1.0/talks', { token: b.token }), 200, Page(Talk));
    expect(listed.result.map((t) => t.id)).toContain(talk.id);
  });

  it('lists the caller\'s talks with the most recent activity first, page by page', async () => {
    const [x, y] = (await createCustomer(stack.api(), ['Agent X', 'Agent Y'])).agents;
    const first = await createGroupTalk(stack.api(), x, [y], 'first');
    const second = await createGroupTalk(stack.api(), x, [y], 'second');
    const third = await createGroupTalk(stack.api(), x, [y], 'third');
    expectBody(await post(x, first.id, { text: 'bump' }), 201, Message);
    const pages: Talk[] = [];
    let token: string | null = null;
    do {
      const query: string = token === null ? '' : `&page_token=${token}`;
      const page = expectBody(await stack.api().request('GET', `/v1.0/talks?page_size=1${query}`, { token: y.token }), 200, Page(Talk));
      pages.push(...page.result);
      token = page.next_page_token;
    } while (token !== null);
    expect(pages.map((t) => t.id)).toEqual([first.id, third.id, second.id]);
    expect(pages[0]?.last_message_at).not.toBeNull();
  });

  it('refuses participants from another customer or that do not exist', async () => {
    expectError(
      await stack.api().request('POST', '/v1.0/talks', { token: a.token, body: { participant_ids: [stranger.id] } }),
      404,
      'NOT_FOUND',
    );
    const talk = await createGroupTalk(stack.api(), a, [b]);
    expectError(
      await stack.api().request('POST', `/v1.0/talks/${talk.id}/participants`, { token: a.token, body: { agent_id: stranger.id } }),
      404,
      'NOT_FOUND',
    );
  });

  it('adds a participant once: adding an active one again answers 200 with the same participant', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const path = `/v1.0/talks/${talk.id}/participants`;
    const added = expectBody(await stack.api().request('POST', path, { token: a.token, body: { agent_id: c.id } }), 201, Participant);
    const again = expectBody(await stack.api().request('POST', path, { token: b.token, body: { agent_id: c.id } }), 200, Participant);
    expect(again).toEqual(added);
    expect(expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}`, { token: c.token }), 200, Talk).participant_count).toBe(3);
  });

  it('re-activates a left participant with its same id', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b, c]);
    const path = `/v1.0/talks/${talk.id}/participants`;
    const listed = expectBody(await stack.api().request('GET', path, { token: a.token }), 200, Participants);
    const ofC = listed.result.find((p) => p.agent_id === c.id);
    if (ofC === undefined) throw new Error('C is a participant');
    const left = expectBody(await stack.api().request('DELETE', `${path}/${ofC.id}`, { token: c.token }), 200, Participant);
    expect(left).toMatchObject({ id: ofC.id, status: 'left' });
    expect(left.tm_left).not.toBeNull();
    expectError(await post(c, talk.id, { text: 'still here?' }), 404, 'NOT_FOUND');

    const back = expectBody(await stack.api().request('POST', path, { token: a.token, body: { agent_id: c.id } }), 201, Participant);
    expect(back).toMatchObject({ id: ofC.id, status: 'active', tm_left: null });
    expectBody(await post(c, talk.id, { text: 'back again' }), 201, Message);
  });

  it('lets a participant who left read history only up to its leaving', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b, c]);
    const path = `/v1.0/talks/${talk.id}/participants`;
    expectBody(await post(a, talk.id, { text: 'before C left' }), 201, Message);
    const ofC = expectBody(await stack.api().request('GET', path, { token: a.token }), 200, Participants).result.find((p) => p.agent_id === c.id);
    if (ofC === undefined) throw new Error('C is a participant');
    expectBody(await stack.api().request('DELETE', `${path}/${ofC.id}`, { token: c.token }), 200, Participant);
    const after = expectBody(await post(a, talk.id, { text: 'after C left' }), 201, Message);

    const seenByC = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/messages`, { token: c.token }), 200, Page(Message));
    expect(seenByC.result.map((m) => m.text)).toContain('before C left');
    expect(seenByC.result.map((m) => m.text)).not.toContain('after C left');
    expectError(await stack.api().request('GET', `/v1.0/messages/${after.id}`, { token: c.token }), 404, 'NOT_FOUND');
    const events = expectBody(
      await stack.api().request('GET', `/v1.0/talks/${talk.id}/events`, { token: c.token }),
      200,
      z.object({ result: z.array(z.object({ seq: z.number(), type: z.string() })), last_seq: z.number() }),
    );
    expect(events.result.at(-1)?.type).toBe('participant_left');
    expect(events.last_seq).toBe(events.result.at(-1)?.seq);
    expect(events.last_seq).toBeLessThan(after.seq);
  });

  it('closes the talk when its last participant leaves; a closed talk refuses writes with TALK_CLOSED but stays readable', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const path = `/v1.0/talks/${talk.id}/participants`;
    const participants = expectBody(await stack.api().request('GET', path, { token: a.token }), 200, Participants).result;
    const ofA = participants.find((p) => p.agent_id === a.id);
    const ofB = participants.find((p) => p.agent_id === b.id);
    if (ofA === undefined || ofB === undefined) throw new Error('both are participants');
    expectBody(await post(a, talk.id, { text: 'last words' }), 201, Message);

    expectBody(await stack.api().request('DELETE', `${path}/${ofB.id}`, { token: a.token }), 200, Participant);
    expect(expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}`, { token: a.token }), 200, Talk).status).toBe('active');
    expectBody(await stack.api().request('DELETE', `${path}/${ofA.id}`, { token: a.token }), 200, Participant);

    const closed = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}`, { token: a.token }), 200, Talk);
    expect(closed).toMatchObject({ status: 'closed', participant_count: 0 });
    const history = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/messages`, { token: b.token }), 200, Page(Message));
    expect(history.result.map((m) => m.text)).toContain('last words');
    const closedList = expectBody(await stack.api().request('GET', '/v1.0/talks?status=closed', { token: a.token }), 200, Page(Talk));
    expect(closedList.result.map((t) => t.id)).toContain(talk.id);
  });

  it('posts messages with medias and threads, numbered by seq, and lists top-level ones newest first in stable pages', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const media = { type: 'application/pdf', url: 'https://storage.example.com/design-doc.pdf', name: 'design-document.pdf' };
    const withMedia = expectBody(await post(a, talk.id, { text: 'Here is the design document.', medias: [media] }), 201, Message);
    expect(withMedia).toMatchObject({ type: 'normal', agent_id: a.id, medias: [media], parent_id: null, reactions: [], deleted: false });

    const reply = expectBody(await post(b, talk.id, { text: 'Looks good', parent_id: withMedia.id }), 201, Message);
    const replyToReply = expectBody(await post(a, talk.id, { text: 'Thanks', parent_id: reply.id }), 201, Message);
    expect(reply.parent_id).toBe(withMedia.id);
    expect(replyToReply.parent_id).toBe(withMedia.id);
    expect(replyToReply.seq).toBeGreaterThan(reply.seq);

    const texts: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      texts.push(`update ${i}`);
      expectBody(await post(i % 2 === 0 ? a : b, talk.id, { text: `update ${i}` }), 201, Message);
    }
    const seen: Message[] = [];
    let token: string | null = null;
    do {
      const query: string = token === null ? '' : `&page_token=${token}`;
      const page = expectBody(
        await stack.api().request('GET', `/v1.0/talks/${talk.id}/messages?page_size=2${query}`, { token: b.token }),
        200,
        Page(Message),
      );
      seen.push(...page.result);
      token = page.next_page_token;
    } while (token !== null);
    const seqs = seen.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seen.every((m) => m.parent_id === null)).toBe(true);
    expect(seen.map((m) => m.text)).toEqual(expect.arrayContaining([...texts, 'Here is the design document.']));

    const after = expectBody(
      await stack.api().request('GET', `/v1.0/talks/${talk.id}/messages?after_seq=${withMedia.seq}`, { token: a.token }),
      200,
      Page(Message),
    );
    expect(after.result.map((m) => m.text).filter((t) => t.startsWith('update'))).toEqual(texts);
    expect(expectBody(await stack.api().request('GET', `/v1.0/messages/${reply.id}`, { token: b.token }), 200, Message)).toEqual(reply);
    expectError(await stack.api().request('GET', `/v1.0/messages/${reply.id}`, { token: stranger.token }), 404, 'NOT_FOUND');
  });

  it('returns the original message on a retried send with the same client_message_id', async () => {
    const talk = await createGroupTalk(stack.api(), a, [b]);
    const body = { text: 'only once', client_message_id: 'retry-1' };
    const first = expectBody(await post(a, talk.id, body), 201, Message);
    const retry = expectBody(await post(a, talk.id, body), 200, Message);
    expect(retry).toEqual(first);
    expect(first.client_message_id).toBe('retry-1');
    const fromB = expectBody(await post(b, talk.id, body), 201, Message);
    expect(fromB.id).not.toBe(first.id);
  });

  it('refuses parent ids of other talks', async () => {
    const one = await createGroupTalk(stack.api(), a, [b]);
    const two = await createGroupTalk(stack.api(), a, [d]);
    const root = expectBody(await post(a, one.id, { text: 'root' }), 201, Message);
    expectError(await post(a, two.id, { text: 'reply', parent_id: root.id }), 400, 'INVALID_ARGUMENT');
  });

  it('returns the existing direct talk of a pair instead of creating a second one', async () => {
    const create = (from: TestAgent, to: TestAgent) =>
      stack.api().request('POST', '/v1.0/talks', { token: from.token, body: { type: 'direct', participant_ids: [to.id] } });
    const first = expectBody(await create(c, d), 201, Talk);
    expect(first).toMatchObject({ type: 'direct', participant_count: 2 });
    const second = expectBody(await create(d, c), 200, Talk);
    expect(second.id).toBe(first.id);
    expectError(
      await stack.api().request('POST', `/v1.0/talks/${first.id}/participants`, { token: c.token, body: { agent_id: a.id } }),
      409,
      'CONFLICT',
    );
  });
});
