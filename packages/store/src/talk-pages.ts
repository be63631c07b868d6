/** A page of an agent's talks, most recent activity first, cut in memory from the agent's talks. */
import type { TalkStatus } from '@talk/shared/schemas';
import type { TalkDoc } from './documents';

/** Where the previous page ended: its last talk's activity time and id. */
export interface TalkPageCursor {
  readonly tmUpdate: Date;
  readonly id: string;
}

export interface TalkPageOptions {
  readonly status?: TalkStatus;
  readonly after?: TalkPageCursor;
  readonly limit: number;
}

/** Newest activity first; talks of the same time by ascending id, so that pages never overlap. */
function byActivity(a: TalkDoc, b: TalkDoc): number {
  const byTime = b.tm_update.getTime() - a.tm_update.getTime();
  if (byTime !== 0) return byTime;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

function isAfter(talk: TalkDoc, cursor: TalkPageCursor): boolean {
  const time = talk.tm_update.getTime();
  const cursorTime = cursor.tmUpdate.getTime();
  return time < cursorTime || (time === cursorTime && talk._id > cursor.id);
}

export function pageOfTalks(talks: readonly TalkDoc[], { status, after, limit }: TalkPageOptions): TalkDoc[] {
  return talks
    .filter((talk) => (status === undefined || talk.status === status) && (after === undefined || isAfter(talk, after)))
    .sort(byActivity)
    .slice(0, limit);
}
