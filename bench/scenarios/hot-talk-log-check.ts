/**
 * What the hot-talk benchmark checks after a phase, through the API as a client catching up
 * would (`GET /v1.0/talks/{id}/events?after_seq=0`, page by page, with the reference client):
 * that each talk's log has an event at every seq from 1 to its newest, and that every post
 * answered 2xx is in it exactly once, as a `message_created` carrying the post's
 * `client_message_id` at the seq its answer gave.
 */
import { createTalkApi } from '@talk/client/talk-api';
import type { AcceptedPost } from '../load/hot-talk-protocol';
import type { Poster } from '../load/rest-protocol';

const READ_TIMEOUT_MS = 60_000;

export interface LogCheck {
  readonly talks: number;
  /** Events read, over every talk checked. */
  readonly events: number;
  /** Seqs between 1 and a talk's newest with no event. */
  readonly gaps: number;
  /** Posts answered 2xx that no `message_created` carries. */
  readonly missing: number;
  /** Posts answered 2xx that more than one `message_created` carries. */
  readonly duplicated: number;
  /** Posts answered 2xx found once, but at another seq than their answer said. */
  readonly wrong_seq: number;
  /**
   * Messages in the log that no 2xx answer announced: posts whose answer was an error or never
   * came (a client timeout while the API went on), recorded all the same. Not a fault of the log.
   */
  readonly recorded_without_2xx: number;
}

/** Checks the log of every talk the posters posted into; a poster of each talk reads it. */
export async function checkLogs(apiUrl: string, posters: readonly Poster[], accepted: readonly AcceptedPost[]): Promise<LogCheck> {
  const readers = new Map(posters.map((poster) => [poster.talkId, poster.token]));
  const checks: Omit<LogCheck, 'talks'>[] = [];
  for (const [talkId, token] of readers) {
    checks.push(await checkTalkLog(apiUrl, token, talkId, accepted.filter((post) => post.talkId === talkId)));
  }
  const sum = (key: keyof Omit<LogCheck, 'talks'>): number => checks.reduce((total, check) => total + check[key], 0);
  return {
    talks: checks.length,
    events: sum('events'),
    gaps: sum('gaps'),
    missing: sum('missing'),
    duplicated: sum('duplicated'),
    wrong_seq: sum('wrong_seq'),
    recorded_without_2xx: sum('recorded_without_2xx'),
  };
}

async function checkTalkLog(apiUrl: string, token: string, talkId: string, accepted: readonly AcceptedPost[]): Promise<Omit<LogCheck, 'talks'>> {
  const api = createTalkApi({ baseUrl: apiUrl, token, timeoutMs: READ_TIMEOUT_MS });
  const { last_seq: lastSeq } = await api.listEvents(talkId, { limit: 1 });
  const seqs = new Set<number>();
  const seqsOfPost = new Map<string, number[]>();
  let events = 0;
  for await (const event of api.eventsAfter(talkId, 0)) {
    events += 1;
    seqs.add(event.seq);
    const clientMessageId = event.type === 'message_created' ? event.data.client_message_id : null;
    if (clientMessageId !== null) seqsOfPost.set(clientMessageId, [...(seqsOfPost.get(clientMessageId) ?? []), event.seq]);
  }
  let gaps = 0;
  for (let seq = 1; seq <= lastSeq; seq += 1) if (!seqs.has(seq)) gaps += 1;
  const found = accepted.map((post) => ({ post, at: seqsOfPost.get(post.clientMessageId) ?? [] }));
  const announced = new Set(accepted.map((post) => post.clientMessageId));
  return {
    events,
    gaps,
    missing: found.filter(({ at }) => at.length === 0).length,
    duplicated: found.filter(({ at }) => at.length > 1).length,
    wrong_seq: found.filter(({ post, at }) => at.length === 1 && at[0] !== post.seq).length,
    recorded_without_2xx: [...seqsOfPost.keys()].filter((clientMessageId) => !announced.has(clientMessageId)).length,
  };
}
