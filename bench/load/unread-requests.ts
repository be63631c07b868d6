/**
 * HTTP timing process of the unread benchmark: one request in flight on one keep-alive
 * connection (history-http.ts), either the same request repeated (repeat.ts) or the agent's talk
 * listing walked page by page, each page timed once: the pass that meets cold count caches.
 */
import { z } from 'zod';
import { serveParent } from '../lib/child';
import { getTimed, timeHttpOnce } from './history-http';
import { repeat } from './repeat';
import { ListedTalk, UnreadTimingRequest, type Walk, type WalkRequest } from './unread-protocol';

const Page = z.object({ result: z.array(ListedTalk.loose()), next_page_token: z.string().nullable().optional() });

async function walk(request: WalkRequest): Promise<Walk> {
  const pagesMs: number[] = [];
  const tokens: string[] = [];
  const talks: ListedTalk[] = [];
  let url = new URL(request.url);
  while (pagesMs.length < request.pages) {
    const answer = await getTimed(url, request.token);
    if (answer.status !== 200) throw new Error(`GET ${url.pathname}${url.search} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
    pagesMs.push(answer.ms);
    const page = Page.parse(JSON.parse(answer.body));
    talks.push(...page.result.map(({ id, unread_count, unread_mention_count }) => ({ id, unread_count, unread_mention_count })));
    const next = page.next_page_token ?? null;
    if (next === null) break;
    tokens.push(next);
    url = new URL(request.url);
    url.searchParams.set('page_token', next);
  }
  return { pagesMs, tokens, talks };
}

function handle(request: UnreadTimingRequest): Promise<object> {
  switch (request.type) {
    case 'walk':
      return walk(request);
    case 'http':
      return repeat(request.repeats, (n) => timeHttpOnce(request, n));
  }
}

serveParent(UnreadTimingRequest, handle);
