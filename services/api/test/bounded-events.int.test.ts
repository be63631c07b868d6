/**
 * No event is larger than 256 KiB (the contract's Limits), for the largest messages the other
 * limits allow: text and medias at their caps (each as large as JSON can make it within a 64 KiB
 * request: escaped control characters are 6 bytes each), 50 reactions of 64-character short
 * names, each with more agents than the 100 it lists. Every event recorded for them (the talk's
 * log, as `/events` serves it) and published (on NATS) is measured; a change that would make a
 * larger one is refused with 409 CONFLICT and records nothing. docs/security.md ("Bounded
 * events") has the same sums on paper.
 *
 * The reactors beyond the test's own agents are written straight into the reaction rows, as the
 * API projects a reaction (hashing passwords for thousands of agents and sending a reaction for
 * each would take many minutes; participant-limit.int.test.ts does the same for participants).
 * Each seeded state is one the API could reach: no larger than the limit allows.
 */
import { MongoClient, type Db } from 'mongodb';
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { idFromKey, newId } from '@talk/shared/ids';
import { LIMITS, Message, type Media } from '@talk/shared/schemas';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { eventually } from '@talk/shared/testing/eventually';
import { expectBody, type RestResponse } from '@talk/shared/testing/rest-client';
import { COLLECTIONS, type ReactionDoc } from '@talk/store/documents';
import { observeTalkOnBus, type BusObserver } from '../../../test/support/bus-observer';
import { createCustomer, createGroupTalk, ErrorBody, expectError, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

const Events = z.object({ result: z.array(TalkChangeEvent), last_seq: z.number() });
/** As the event log measures an event, and as a request body is measured. */
const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** 50 distinct short names of the longest length, which JSON does not escape. */
const EMOJI = Array.from({ length: LIMITS.reactionsMax }, (_, i) => `${String(i).padStart(2, '0')}_${'x'.repeat(61)}`);

/** The longest MIME type the contract takes: 127 characters either side of the slash. */
const LONGEST_TYPE = `${'a'.repeat(127)}/${'b'.repeat(127)}`;

/**
 * 10 medias as large as JSON gets within one request body: names of 255 control characters, and
 * URLs padded with them (6 bytes each) until the body is full. The body, not the URL's 2,048
 * characters, is the binding cap.
 */
function largestMedias(): Media[] {
  const media = (pad: number): Media => ({ type: LONGEST_TYPE, url: `https://example.com/${'\u0001'.repeat(pad)}`, name: '\u0001'.repeat(LIMITS.nameMaxChars) });
  let pad = 0;
  while (bytes({ medias: Array.from({ length: LIMITS.mediasMax }, () => media(pad + 1)) }) <= LIMITS.bodyMaxBytes) pad += 1;
  return Array.from({ length: LIMITS.mediasMax }, () => media(pad));
}

/**
 * 16,000 characters that JSON makes as large as one request body takes: as many escaped control
 * characters (6 bytes, 1 character) as fit, the rest "€" (3 bytes, 1 character).
 */
function largestText(): string {
  const budget = LIMITS.bodyMaxBytes - bytes({ text: '' });
  const escaped = Math.floor((budget - 3 * LIMITS.textMaxChars) / 3);
  return '\u0001'.repeat(escaped) + '€'.repeat(LIMITS.textMaxChars - escaped);
}

/** `total` agents spread over the 50 emoji, the first ones taking one more. */
const countsOf = (total: number): number[] => EMOJI.map((_, i) => Math.floor(total / EMOJI.length) + (i < total % EMOJI.length ? 1 : 0));

/** A reaction event of the message with `total` agent ids over the 50 emoji: what the log would measure. */
function reactionEventBeside(message: Message, total: number): TalkChangeEvent {
  const reactions = countsOf(total).map((count, i) => ({ emoji: EMOJI[i] ?? '', count, agent_ids: Array.from({ length: count }, newId) }));
  const data = { message_id: message.id, emoji: EMOJI[0] ?? '', agent_id: newId(), message: { ...message, reactions } };
  return { id: newId(), type: 'reaction_added', talk_id: message.talk_id, seq: 99_999, tm_create: message.tm_update, data };
}

/** The most agent ids a reaction event of the message can list and stay within the limit. */
function mostAgentIdsBeside(message: Message): number {
  let [fits, tooMany] = [0, LIMITS.reactionsMax * LIMITS.reactionAgentIdsMax];
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2);
    if (bytes(reactionEventBeside(message, middle)) <= LIMITS.eventMaxBytes) fits = middle;
    else tooMany = middle;
  }
  return fits;
}

jest.setTimeout(300_000);

describe('bounded events', () => {
  let stack: Stack;
  let mongo: MongoClient;
  let db: Db;
  let a: TestAgent, b: TestAgent, c: TestAgent;
  let talkId: string;
  let bus: BusObserver;

  beforeAll(async () => {
    stack = await startStack('bounded_events');
    mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    db = mongo.db(stack.iso.db);
    [a, b, c] = (await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C'])).agents;
    talkId = (await createGroupTalk(stack.api(), a, [b, c])).id;
    bus = await observeTalkOnBus(stack.iso.subjectPrefix, talkId);
  });
  afterAll(async () => {
    await bus.close();
    await mongo.close();
    await stack.stop();
  });

  const call = (who: TestAgent, method: string, path: string, body?: unknown) =>
    stack.api().request(method, `/v1.0${path}`, { token: who.token, ...(body === undefined ? {} : { body }) });
  const react = (who: TestAgent, messageId: string, emoji: string) => call(who, 'POST', `/messages/${messageId}/reactions`, { emoji });
  const edit = (messageId: string, text: string) => call(a, 'PUT', `/messages/${messageId}`, { text });
  const log = async (): Promise<TalkChangeEvent[]> => expectBody(await call(a, 'GET', `/talks/${talkId}/events?limit=1000`), 200, Events).result;

  /** `counts[i]` agents who reacted with the i-th of the 50 emoji, as the API would have projected them. */
  async function seedReactors(messageId: string, counts: readonly number[]): Promise<void> {
    const { last_seq: seq } = expectBody(await call(a, 'GET', `/talks/${talkId}/events?after_seq=1000000`), 200, Events);
    const rows: ReactionDoc[] = EMOJI.flatMap((emoji, i) =>
      Array.from({ length: counts[i] ?? 0 }, () => {
        const agentId = newId();
        return { _id: idFromKey('reaction', messageId, agentId, emoji), message_id: messageId, talk_id: talkId, agent_id: agentId, emoji, removed: false, reacted_seq: seq, version_seq: seq, tm_create: new Date() };
      }),
    );
    await db.collection<ReactionDoc>(COLLECTIONS.reactions).insertMany(rows);
  }

  function expectTooLarge(response: RestResponse): void {
    expectError(response, 409, 'CONFLICT');
    expect(ErrorBody.parse(response.body).error.message).toMatch(/more than the 262,144 bytes \(256 KiB\) an event may have; nothing was changed/);
  }

  it('records and publishes no event over 256 KiB for a message with text and medias at their caps, and refuses the reaction that would make one', async () => {
    const medias = largestMedias();
    expect(bytes({ medias })).toBeGreaterThan(LIMITS.bodyMaxBytes - 100);
    const message = expectBody(await call(a, 'POST', `/talks/${talkId}/messages`, { medias }), 201, Message);
    const text = largestText();
    expect(text).toHaveLength(LIMITS.textMaxChars);
    expect(bytes({ text })).toBeGreaterThan(LIMITS.bodyMaxBytes - 10);
    const edited = expectBody(await edit(message.id, text), 200, Message);
    expect(edited.text).toBe(text);

    // As many reactors as leave room for 3 more agent ids in a reaction event (each is 39 bytes).
    const counts = countsOf(mostAgentIdsBeside(edited) - 3);
    await seedReactors(message.id, counts);
    const statuses: number[] = [];
    for (const who of [b, c]) {
      for (const emoji of EMOJI.slice(0, 4)) {
        const answer = await react(who, message.id, emoji);
        if (answer.status === 409) expectTooLarge(answer);
        else expectBody(answer, 201, Message);
        statuses.push(answer.status);
      }
    }
    // The message only grows: reactions are taken until one would make it too large, then none.
    const taken = statuses.filter((status) => status === 201).length;
    expect(taken).toBeGreaterThanOrEqual(3);
    expect(statuses).toEqual([...Array<number>(taken).fill(201), ...Array<number>(statuses.length - taken).fill(409)]);
    const before = await log();
    expectTooLarge(await react(b, message.id, EMOJI[10] ?? ''));
    expect((await log()).length).toBe(before.length);
    // Taking a reaction back makes the message smaller, so it is recorded.
    expectBody(await call(b, 'DELETE', `/messages/${message.id}/reactions/${EMOJI[0] ?? ''}`), 200, Message);
  });

  it(`records and publishes no event over 256 KiB for a message of ${LIMITS.reactionsMax} reactions with more agents than the ${LIMITS.reactionAgentIdsMax} each lists, and refuses the edit that would make one`, async () => {
    const message = expectBody(await call(a, 'POST', `/talks/${talkId}/messages`, { text: 'Vote with as many emoji as you like' }), 201, Message);
    await seedReactors(message.id, EMOJI.map(() => LIMITS.reactionAgentIdsMax + 1));
    for (const emoji of EMOJI.slice(0, 2)) {
      const reacted = expectBody(await react(b, message.id, emoji), 201, Message);
      expect(reacted.reactions.find((reaction) => reaction.emoji === emoji)).toMatchObject({ count: LIMITS.reactionAgentIdsMax + 2 });
    }
    const full = expectBody(await call(a, 'GET', `/messages/${message.id}`), 200, Message);
    expect(full.reactions).toHaveLength(LIMITS.reactionsMax);
    for (const reaction of full.reactions) {
      expect(reaction.count).toBe(LIMITS.reactionAgentIdsMax + (EMOJI.slice(0, 2).includes(reaction.emoji) ? 2 : 1));
      expect(reaction.agent_ids).toHaveLength(LIMITS.reactionAgentIdsMax);
      expect(reaction.agent_ids).not.toContain(b.id);
    }
    expect(bytes(full)).toBeGreaterThan(200_000);

    expectTooLarge(await edit(message.id, largestText()));
    // 16,000 characters of 3 bytes each still fit beside the reactions.
    expectBody(await edit(message.id, '€'.repeat(LIMITS.textMaxChars)), 200, Message);
    expectBody(await react(c, message.id, EMOJI[0] ?? ''), 201, Message);
  });

  it('recorded every event of the talk at 256 KiB or less, and published each, none larger', async () => {
    const recorded = await log();
    const sizes = recorded.map(bytes);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(LIMITS.eventMaxBytes);
    // Some of them come close: the limit, not the test's choice of sizes, is what held them.
    expect(Math.max(...sizes)).toBeGreaterThan(LIMITS.eventMaxBytes - 4_096);
    const afterSubscribing = recorded.filter((event) => event.type !== 'talk_created' && event.type !== 'participant_joined');
    await eventually(() => expect(bus.events.map((event) => event.id)).toEqual(expect.arrayContaining(afterSubscribing.map((event) => event.id))));
    for (const event of bus.events) expect(bytes(event)).toBeLessThanOrEqual(LIMITS.eventMaxBytes);
  });
});
