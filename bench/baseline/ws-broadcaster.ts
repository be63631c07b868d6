/**
 * The fan-out baseline: a bare `ws` server in a process of its own that answers `subscribe` and
 * broadcasts the same event frames the gateway sends, serialised once per event, to every socket
 * of the talk, at the same rates. The physical limit of this machine for the harness.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { serveParent } from '../lib/child';
import { BroadcasterRequest } from '../load/protocol';
import { pace } from '../lib/pacer';
import { syntheticEvent } from '../lib/synthetic-event';



const Subscribe = z.object({ type: z.literal('subscribe'), talk_id: z.string() });

const members = new Map<string, Set<WebSocket>>();
const lastSeqs = new Map<string, number>();
let authorId = '';

serveParent(BroadcasterRequest, async (request) => {
  if (request.type === 'listen') {
    authorId = request.authorId;
    for (const talk of request.talks) {
      lastSeqs.set(talk.talkId, talk.lastSeq);
      members.set(talk.talkId, new Set());
    }
    const server = createServer();
    const wss = new WebSocketServer({ server, perMessageDeflate: false });
    wss.on('connection', (socket) => {
      socket.on('message', (data: Buffer) => {
        const frame = Subscribe.safeParse(JSON.parse(data.toString('utf8')));
        if (!frame.success) return;
        members.get(frame.data.talk_id)?.add(socket);
        socket.send(JSON.stringify({ type: 'subscribed', talk_id: frame.data.talk_id, last_seq: lastSeqs.get(frame.data.talk_id) ?? 0 }));
      });
      socket.on('close', () => {
        for (const sockets of members.values()) sockets.delete(socket);
      });
    });
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      }),
    );
    return { port };
  }
  const talks = [...members.keys()];
  const published = await pace(request.eventsPerSecond, request.durationMs, (i) => {
    const talkId = talks[i % talks.length] ?? '';
    const seq = (lastSeqs.get(talkId) ?? 0) + 1;
    lastSeqs.set(talkId, seq);
    const frame = `{"type":"event","event":${syntheticEvent(talkId, authorId, seq, process.hrtime.bigint())}}`;
    for (const socket of members.get(talkId) ?? []) socket.send(frame);
  });
  return { published, lastSeqs: Object.fromEntries(lastSeqs) };
});
