/**
 * Property-based fuzzing of every route of the catalogue (docs/security.md, "Fuzzing"): hostile
 * paths, queries, bodies and headers from fast-check, sent to a real API over real MongoDB and
 * NATS with real credentials, real talks and real messages. Whatever is sent, the answer is never
 * a 5xx, every error is the contract's envelope, the API stays up, and a refused request writes
 * nothing. `npm run fuzz` runs it long with a random seed.
 */
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { newId } from '@talk/shared/ids';
import { Message, Participant, Talk } from '@talk/shared/schemas';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody } from '@talk/shared/testing/rest-client';
import { issueToken } from '@talk/shared/tokens';
import { ROUTES } from '../src/http/catalogue';
import { problemsWith, type DocumentedResponses } from '../../../test/support/fuzz/answer-checks';
import { anyRequest, type Credentials, type FuzzRequest } from '../../../test/support/fuzz/http-requests';
import { describeRequest, send } from '../../../test/support/fuzz/http-sender';
import { fuzzSettings, propertyParameters, testTimeoutMs } from '../../../test/support/fuzz/settings';
import type { KnownValues } from '../../../test/support/fuzz/schema-values';
import { differences, fingerprint, type Fingerprint } from '../../../test/support/fuzz/write-witness';
import { createCustomer, createGroupTalk, type TestAgent } from '../../../test/support/fixtures';
import { ADMIN_KEY, JWT_SECRET, startStack, type Stack } from '../../../test/support/stack';

const settings = fuzzSettings('api', 200);

/** A bound on one run (a request, the database's fingerprint, /healthz): about 60 ms here. */
const PER_RUN_MS = 400;

const TalkPage = z.object({ result: z.array(Talk), next_page_token: z.string().nullable() });

describe('fuzzing every route', () => {
  let stack: Stack;
  let mongo: MongoClient;
  let agent: TestAgent;
  let known: KnownValues;
  let credentials: Credentials;
  /** The talks the agent was given, which the fuzzer may close, leave and rename. */
  let ownTalkIds: string[];

  beforeAll(async () => {
    stack = await startStack('fuzz_api');
    mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    const api = stack.api();
    // Four sign-ins in all: login is rate limited, and the fuzzer is given no password.
    const acme = await createCustomer(api, ['Agent A', 'Agent B', 'Agent C']);
    const other = await createCustomer(api, ['Outsider']);
    const [a, b, c] = acme.agents;
    const [outsider] = other.agents;
    agent = a;
    const group = await createGroupTalk(api, a, [b]);
    const second = await createGroupTalk(api, a, [c], 'Second');
    const direct = expectBody(await api.request('POST', '/v1.0/talks', { token: a.token, body: { type: 'direct', participant_ids: [b.id] } }), 201, z.object({ id: z.string() }));
    const foreign = await createGroupTalk(api, outsider, [], 'Elsewhere');
    ownTalkIds = [group.id, second.id, direct.id];
    const root = expectBody(await api.request('POST', `/v1.0/talks/${group.id}/messages`, { token: a.token, body: { text: 'root' } }), 201, Message);
    const reply = expectBody(await api.request('POST', `/v1.0/talks/${group.id}/messages`, { token: b.token, body: { text: 'reply', parent_id: root.id } }), 201, Message);
    const foreignMessage = expectBody(await api.request('POST', `/v1.0/talks/${foreign.id}/messages`, { token: outsider.token, body: { text: 'theirs' } }), 201, Message);
    expectBody(await api.request('POST', `/v1.0/messages/${root.id}/reactions`, { token: a.token, body: { emoji: 'thumbsup' } }), 201, Message);
    const participants = expectBody(await api.request('GET', `/v1.0/talks/${group.id}/participants`, { token: a.token }), 200, z.object({ result: z.array(Participant) }));
    const messageIds = [root.id, reply.id, foreignMessage.id];
    // Agent A is the one signed in: the fuzzer may deactivate the others, never the agent it runs as.
    const otherAgents = [b.id, c.id, outsider.id];
    known = {
      talk_id: [...ownTalkIds, foreign.id],
      message_id: messageIds,
      parent_id: messageIds,
      participant_id: participants.result.map((participant) => participant.id),
      agent_id: otherAgents,
      'participant_ids[]': otherAgents,
      customer_id: [acme.id, other.id],
      username: ['agent.a', 'agent.b', 'outsider'],
      emoji: ['thumbsup', '👍', 'tada'],
    };
    const now = Math.floor(Date.now() / 1000);
    credentials = {
      validToken: a.token,
      refusedTokens: [
        issueToken({ agentId: a.id, customerId: acme.id, expiresAt: now - 60 }, JWT_SECRET, now - 120),
        issueToken({ agentId: a.id, customerId: acme.id, expiresAt: now + 3_600 }, 'another-secret-0123456789', now),
        issueToken({ agentId: newId(), customerId: acme.id, expiresAt: now + 3_600 }, JWT_SECRET, now),
        issueToken({ agentId: a.id, customerId: other.id, expiresAt: now + 3_600 }, JWT_SECRET, now),
      ],
      validAccesskey: acme.accesskey,
      validAdminKey: ADMIN_KEY,
    };
  });
  afterAll(async () => {
    await mongo.close();
    await stack.stop();
  });

  /** The database's fingerprint, and the agent's talks as it sees them (names, statuses, counts, times). */
  async function state(): Promise<Fingerprint> {
    const [database, talks] = await Promise.all([
      fingerprint(mongo.db(stack.iso.db)),
      stack.api().request('GET', '/v1.0/talks?page_size=100', { token: agent.token }),
    ]);
    return { ...database, 'the agent\'s talks': JSON.stringify(expectBody(talks, 200, TalkPage)) };
  }

  /**
   * Reopens the agent's talks that a fuzzed request closed (which also brings the agent back into
   * one it left), so that later requests meet active talks and reach the checks behind "closed".
   */
  async function reopenClosedTalks(): Promise<void> {
    const talks = expectBody(await stack.api().request('GET', '/v1.0/talks?page_size=100', { token: agent.token }), 200, TalkPage).result;
    for (const talk of talks.filter((candidate) => ownTalkIds.includes(candidate.id) && candidate.status === 'closed')) {
      const reopened = await stack.api().request('POST', `/v1.0/talks/${talk.id}/reopen`, { token: agent.token });
      // A direct talk whose pair has another active direct talk stays closed (409): a fuzzed create made one.
      if (reopened.status !== 200 && reopened.status !== 409) throw new Error(`could not reopen talk ${talk.id}: ${reopened.status}`);
    }
  }

  /**
   * The responses the route documents that serves the request's method on its path (another route
   * of the same path, for a request sent with another method), or undefined when none does.
   */
  function documented(request: FuzzRequest): DocumentedResponses | undefined {
    const path = Object.entries(ROUTES).find(([name]) => name === request.route)?.[1].path;
    return Object.values(ROUTES).find((route) => route.path === path && route.method.toUpperCase() === request.method)?.responses;
  }

  it(
    'answers every request without a 5xx, every error in the envelope, stays up, and a refused request writes nothing',
    async () => {
      let before: Fingerprint | undefined;
      const property = fc.asyncProperty(anyRequest(ROUTES, known, credentials), async (request) => {
        before ??= await state();
        const answer = await send(stack.api().baseUrl, request);
        const problems = problemsWith(answer, documented(request));
        if (answer.status >= 400) {
          const after = await state();
          problems.push(...differences(before, after).map((difference) => `a refused request wrote: ${difference}`));
          before = after;
        } else {
          // A request that was served may write; the next refused one is compared with what it left.
          before = undefined;
          await reopenClosedTalks();
        }
        if (request.duplicateKeys && answer.status < 300) problems.push('a body that repeats a key was taken');
        const health = await fetch(`${stack.api().baseUrl}/healthz`);
        if (health.status !== 200) problems.push(`/healthz answered ${health.status} afterwards`);
        if (problems.length > 0) throw new Error(`${describeRequest(request)}\n→ ${answer.status} ${answer.text.slice(0, 400)}\n${problems.join('\n')}`);
      });
      await fc.assert(property, propertyParameters(settings, PER_RUN_MS));
    },
    testTimeoutMs(settings, PER_RUN_MS),
  );
});
