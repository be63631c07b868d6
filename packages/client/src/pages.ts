/** Response shapes of list endpoints (the REST contract (the OpenAPI document at /docs)), parsed with the contract's schemas. */
import { z } from 'zod';
import { parseEvent, type TalkChangeEvent } from '@talk/shared/events';
import type { Page } from '@talk/shared/schemas';

export const pageOf = <T>(item: z.ZodType<T>): z.ZodType<Page<T>> =>
  z.object({ result: z.array(item), next_page_token: z.string().nullable() });

export const listOf = <T>(item: z.ZodType<T>): z.ZodType<{ readonly result: readonly T[] }> => z.object({ result: z.array(item) });

/**
 * A page of `GET /talks/{id}/events` as sent: events of a type this client does not know yet are
 * kept here (they still take a seq) and skipped by `knownEvents`.
 */
export const RawEventsPage = z.object({
  result: z.array(z.object({ seq: z.number().int().positive(), type: z.string() }).loose()),
  last_seq: z.number().int().nonnegative(),
});
export type RawEventsPage = z.infer<typeof RawEventsPage>;

export interface EventsPage {
  readonly result: readonly TalkChangeEvent[];
  /** The talk's newest seq. */
  readonly last_seq: number;
  /** The seq of the page's last event, known or not: the `after_seq` of the next page. */
  readonly through_seq: number | undefined;
}

/** Keeps the events of known types; an event of a known type that does not parse is an error. */
export function knownEvents(page: RawEventsPage): EventsPage {
  const result: TalkChangeEvent[] = [];
  for (const raw of page.result) {
    const parsed = parseEvent(raw);
    if (parsed.kind === 'event') result.push(parsed.event);
    else if (parsed.kind === 'invalid') throw new Error(`event ${raw.seq} does not match the contract: ${parsed.problem}`);
  }
  return { result, last_seq: page.last_seq, through_seq: page.result.at(-1)?.seq };
}

export interface PageRequest {
  readonly pageSize?: number;
  readonly pageToken?: string;
}

/** Every item of a paged list, page after page, each asked for with the previous page's token. */
export async function* allPages<T>(pageOf: (page: PageRequest) => Promise<Page<T>>, pageSize?: number): AsyncGenerator<T, void, undefined> {
  let pageToken: string | undefined;
  do {
    const page = await pageOf({ ...(pageSize === undefined ? {} : { pageSize }), ...(pageToken === undefined ? {} : { pageToken }) });
    yield* page.result;
    pageToken = page.next_page_token ?? undefined;
  } while (pageToken !== undefined);
}
