/**
 * Load process of the end-to-end benchmark: posts messages over HTTP at a fixed rate, each text
 * starting with the time it was sent (process.hrtime), so that the WebSocket clients can tell the
 * latency from the POST to the `message_created` they receive.
 */
import { createTalkApi } from '@talk/client/talk-api';
import { serveParent } from '../lib/child';
import { PosterRequest } from './protocol';
import { pace } from '../lib/pacer';





const FILLER = 'Thanks for waiting, I have looked into your ticket and the replacement ships today.';

serveParent(PosterRequest, async (request) => {
  const apis = request.posters.map((poster) => ({ api: createTalkApi({ baseUrl: request.baseUrl, token: poster.token }), talkId: poster.talkId }));
  const lastSeqs: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  let failed = 0;
  const posted = await pace(request.postsPerSecond, request.durationMs, (i) => {
    const poster = apis[i % apis.length];
    if (poster === undefined) return;
    inFlight.push(
      poster.api.sendMessage(poster.talkId, { text: `${process.hrtime.bigint()} ${FILLER}` }).then(
        (message) => {
          lastSeqs[poster.talkId] = Math.max(lastSeqs[poster.talkId] ?? 0, message.seq);
        },
        () => {
          failed += 1;
        },
      ),
    );
  });
  await Promise.all(inFlight);
  return { posted, failed, lastSeqs };
});
