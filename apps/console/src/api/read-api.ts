/**
 * The read-state calls the console needs that `@talk/client/talk-api` does not offer yet, made with
 * the reference client's own HTTP call (retries, error envelope). To be replaced by the client's
 * own read calls when it has them.
 */
import { createHttp, type HttpOptions } from '@talk/client/http';
import { ReadState } from '@talk/shared/schemas';

export interface ReadApi {
  /** Moves the agent's read marker up to `seq` (it never moves back). */
  markRead(talkId: string, seq: number): Promise<ReadState>;
}

export function createReadApi(options: HttpOptions & { readonly token: string }): ReadApi {
  const http = createHttp(options);
  return {
    markRead: (talkId, seq) =>
      http(
        {
          method: 'POST',
          path: `/v1.0/talks/${encodeURIComponent(talkId)}/read`,
          headers: { authorization: `Bearer ${options.token}` },
          body: { seq },
          idempotent: true,
        },
        ReadState,
      ),
  };
}
