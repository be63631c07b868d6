/**
 * Load process of the hot-talk benchmark: every poster in a closed loop for a fixed time, posting
 * `POST /v1.0/talks/{id}/messages` into its talk over a keep-alive connection of its own, one
 * message in flight (an agent sends its next message once the last one is answered). Poster i
 * posts to API process i mod N, so the two members of a pair and the members of one talk are
 * served by different replicas. Bodies carry a `client_message_id`, as the reference client always
 * sends one, which is also how the scenario finds each accepted post in the talk's log.
 *
 * Not autocannon (rest-posts.ts): this needs every answer's status, latency and time, and the
 * id and seq of every accepted post. At the rates of a write scenario (tens to hundreds a second)
 * node:http costs this process little.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { z } from 'zod';
import { serveParent } from '../lib/child';
import { TimedPostsRequest, type TimedPostsReport } from './hot-talk-protocol';
import { tally, type PostOutcome } from './hot-talk-tally';
import type { Poster } from './rest-protocol';
import { messageText } from './rest-texts';

/** As autocannon's `timeout: 10` in the REST scenario. */
const REQUEST_TIMEOUT_MS = 10_000;

/** What a created message's answer must say (the contract: the message, with its seq). */
const Created = z.object({ seq: z.number().int().positive() }).loose();

interface Answer {
  readonly status: number | 'error';
  readonly body: string;
}

function send(agent: Agent, url: string, token: string, body: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 'error', body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 'error', body: '' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', () => resolve({ status: 'error', body: '' }));
    req.end(body);
  });
}

/** One poster's closed loop until `endAt`; its last post may be answered after it. */
async function postUntil(poster: Poster, api: number, apiUrl: string, endAt: number, outcomes: PostOutcome[]): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${apiUrl}/v1.0/talks/${encodeURIComponent(poster.talkId)}/messages`;
  try {
    for (let n = 1; performance.now() < endAt; n += 1) {
      const clientMessageId = randomUUID();
      const sentAt = performance.now();
      const answer = await send(agent, url, poster.token, JSON.stringify({ text: messageText(n), client_message_id: clientMessageId }));
      const answeredAt = performance.now();
      const outcome: PostOutcome = { api, answeredAt, latencyMs: answeredAt - sentAt, status: answer.status };
      if (answer.status !== 'error' && answer.status >= 200 && answer.status < 300) {
        const created = Created.parse(JSON.parse(answer.body));
        outcomes.push({ ...outcome, accepted: { talkId: poster.talkId, clientMessageId, seq: created.seq } });
      } else {
        outcomes.push(outcome);
      }
    }
  } finally {
    agent.destroy();
  }
}

async function postFor(request: TimedPostsRequest): Promise<TimedPostsReport> {
  const outcomes: PostOutcome[] = [];
  const startedAt = performance.now();
  const window = { from: startedAt + request.warmupMs, durationMs: request.durationMs };
  const endAt = window.from + window.durationMs;
  await Promise.all(
    request.posters.map((poster, i) => {
      const api = i % request.apiUrls.length;
      return postUntil(poster, api, request.apiUrls[api] ?? '', endAt, outcomes);
    }),
  );
  return tally(outcomes, window, request.apiUrls.length);
}

serveParent(TimedPostsRequest, postFor);
