/**
 * Load process of the REST write-path benchmark: `POST /v1.0/talks/{id}/messages` with autocannon,
 * one keep-alive connection per poster, each connection bound to its agent's token and talk, one
 * request in flight per connection (a closed loop: an agent sends its next message once the last
 * one is answered). Bodies carry a `client_message_id`, as the reference client always sends one.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { serveParent } from '../lib/child';
import { PostsRequest, type PostsReport } from './rest-protocol';
import { messageText } from './rest-texts';

function post(request: PostsRequest): Promise<PostsReport> {
  let connections = 0;
  let lastAnswerAt = 0;
  const options: autocannon.Options = {
    url: request.baseUrl,
    connections: request.posters.length,
    // Spread evenly over the connections: each poster sends `perPoster` messages.
    amount: request.posters.length * request.perPoster,
    timeout: 10,
    // Ends the phase when the API is gone, instead of reconnecting until the parent gives up; the
    // errors are counted as non-2xx.
    bailout: 50,
    // Each connection takes the next poster, so connection i is always agent i in its talk.
    setupClient: (client) => {
      const poster = request.posters[connections % request.posters.length];
      connections += 1;
      if (poster === undefined) throw new Error('no posters');
      let sent = 0;
      client.setRequests([
        {
          method: 'POST',
          path: `/v1.0/talks/${encodeURIComponent(poster.talkId)}/messages`,
          headers: { authorization: `Bearer ${poster.token}`, 'content-type': 'application/json' },
          setupRequest: (req) => {
            sent += 1;
            return { ...req, body: JSON.stringify({ text: messageText(sent), client_message_id: randomUUID() }) };
          },
        },
      ]);
    },
  };
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const instance = autocannon(options, (error: unknown, result) => {
      if (error !== null && error !== undefined) {
        reject(new Error('autocannon failed', { cause: error }));
        return;
      }
      // Not result.duration: autocannon notices the last answer only at its next one-second
      // sample tick, which would round every phase up to whole seconds.
      const seconds = (lastAnswerAt - startedAt) / 1000;
      resolve({
        posts: result['2xx'],
        postsPerSecond: result['2xx'] / seconds,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx + result.errors,
      });
    });
    instance.on('response', () => {
      lastAnswerAt = performance.now();
    });
  });
}

serveParent(PostsRequest, post);
