/**
 * The fan-out baseline: a bare `ws` server in a process of its own that answers `subscribe` and
 * broadcasts the same event frames the gateway sends, framed once per event and written straight
 * to every socket of the talk (as the gateway does, services/gateway/src/ws/wire-frame.ts), at
 * the same rates. The physical limit of this machine for the harness.
 */
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { textWireFrame, writeWireFrame } from '../../services/gateway/src/ws/wire-frame';
import { z } from 'zod';
import { serveParent } from '../lib/child';
import { BroadcasterRequest } from '../load/protocol';
import { pace } from '../lib/pacer';
import { syntheticEvent } from '../lib/synthetic-event';



const Subscribe = z.object({ type: z.literal('subscribe'), talk_id: z.string() });

/** Each talk's members, as the TCP sockets under their WebSockets. */
const members = new Map<string, Set<Duplex>>();
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
    wss.on('connection', (socket, req) => {
      const tcp = req.socket;
      socket.on('message', (data: Buffer) => {
        const frame = Subscribe.safeParse(JSON.parse(data.toString('utf8')));
        if (!frame.success) return;
        members.get(frame.data.talk_id)?.add(tcp);
        socket.send(JSON.stringify({ type: 'subscribed', talk_id: frame.data.talk_id, last_seq: lastSeqs.get(frame.data.talk_id) ?? 0 }));
      });
      socket.on('close', () => {
        for (const sockets of members.values()) sockets.delete(tcp);
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
    const frame = textWireFrame(`{"type":"event","event":${syntheticEvent(talkId, authorId, seq, process.hrtime.bigint())}}`);
    for (const tcp of members.get(talkId) ?? []) writeWireFrame(tcp, frame);
  });
  return { published, lastSeqs: Object.fromEntries(lastSeqs) };
});
