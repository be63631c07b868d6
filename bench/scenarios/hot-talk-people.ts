/**
 * The people of the hot-talk benchmark: the REST scenario's (rest-people.ts: one customer, agents
 * who log in, talks of two), and one more talk with every one of those agents in it.
 */
import { createTalkApi } from '@talk/client/talk-api';
import type { Poster } from '../load/rest-protocol';
import { createPosters } from './rest-people';

const SETUP_TIMEOUT_MS = 60_000;

export interface HotTalkPeople {
  /** One poster per agent, each in its talk of `perTalk`. */
  readonly spread: readonly Poster[];
  /** The same agents, each posting into the one talk they all belong to. */
  readonly hot: readonly Poster[];
  readonly hotTalkId: string;
}

export async function createHotTalkPeople(apiUrl: string, agents: number, perTalk: number, label: string): Promise<HotTalkPeople> {
  const spread = await createPosters(apiUrl, agents, perTalk, label);
  const [creator, ...others] = spread;
  if (creator === undefined) throw new Error('the hot talk needs a member');
  const talk = await createTalkApi({ baseUrl: apiUrl, token: creator.token, timeoutMs: SETUP_TIMEOUT_MS }).createTalk({
    name: `${label} hot`,
    participant_ids: others.map((poster) => poster.agentId),
  });
  return { spread, hot: spread.map((poster) => ({ ...poster, talkId: talk.id })), hotTalkId: talk.id };
}
