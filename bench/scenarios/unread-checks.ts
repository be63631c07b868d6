/**
 * What the unread benchmark checks once the clock has stopped: that the listing showed the talks
 * in the seeded order with the counts the seeding makes due, and that `GET /v1.0/me/unread` adds
 * them up. A figure of a listing that counted wrong would measure something else.
 */
import { UnreadSummary } from '@talk/shared/schemas';
import type { UnreadCounts } from '@talk/decisions/unread';
import type { ListedTalk } from '../load/unread-protocol';

export type Expected = ReadonlyMap<string, UnreadCounts>;

/** `expected` after one new top-level message from a colleague in each of `talkIds`. */
export function withPosts(expected: Expected, talkIds: readonly string[]): Expected {
  const next = new Map(expected);
  for (const talkId of talkIds) {
    const counts = next.get(talkId) ?? { unread: 0, mentions: 0 };
    next.set(talkId, { unread: counts.unread + 1, mentions: counts.mentions });
  }
  return next;
}

/** What `GET /v1.0/me/unread` must answer: talks with news, and the sums of both counts. */
export function summed(expected: Expected): UnreadSummary {
  const counts = [...expected.values()];
  return {
    talks: counts.filter((c) => c.unread > 0 || c.mentions > 0).length,
    messages: counts.reduce((sum, c) => sum + c.unread, 0),
    mentions: counts.reduce((sum, c) => sum + c.mentions, 0),
  };
}

export function checkListed(listed: readonly ListedTalk[], order: readonly string[], expected: Expected, what: string): void {
  const problems: string[] = [];
  for (const [i, talk] of listed.entries()) {
    if (talk.id !== order[i]) problems.push(`#${i} is ${talk.id}, not ${order[i] ?? 'nothing'}`);
    const due = expected.get(talk.id);
    if (due === undefined) problems.push(`${talk.id} was not seeded`);
    else if (talk.unread_count !== due.unread || talk.unread_mention_count !== due.mentions) {
      problems.push(`${talk.id} shows ${talk.unread_count} unread / ${talk.unread_mention_count} mentions, not ${due.unread} / ${due.mentions}`);
    }
  }
  if (listed.length > order.length) problems.push(`${listed.length} talks listed, ${order.length} seeded`);
  if (problems.length > 0) throw new Error(`${what}: ${problems.length} problems, first ${problems.slice(0, 5).join('; ')}`);
}

export async function checkSummary(apiUrl: string, token: string, expected: Expected): Promise<void> {
  const response = await fetch(`${apiUrl}/v1.0/me/unread`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /v1.0/me/unread answered ${response.status}`);
  const summary = UnreadSummary.parse(await response.json());
  const due = summed(expected);
  if (summary.talks !== due.talks || summary.messages !== due.messages || summary.mentions !== due.mentions) {
    throw new Error(`GET /v1.0/me/unread answered ${JSON.stringify(summary)}, not ${JSON.stringify(due)}`);
  }
}
