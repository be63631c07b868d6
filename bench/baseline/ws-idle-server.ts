/**
 * The connections baseline: a bare `ws` server in a process of its own, with the gateway's socket
 * options (no compression, 64 KiB frames), that answers each `subscribe` with `subscribed` and
 * otherwise only keeps its sockets open. What an idle connection costs at the least in Node.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { serveParent } from '../lib/child';
import { IdleServerRequest } from '../load/protocol';





const Subscribe = z.object({ type: z.literal('subscribe'), talk_id: z.string() });

serveParent(IdleServerRequest, async () => {
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });
  wss.on('connection', (socket) => {
    // ws closes the socket after a protocol error by itself; unheard, the error would end the process.
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => {
      const frame = Subscribe.safeParse(JSON.parse(data.toString('utf8')));
      if (frame.success) socket.send(JSON.stringify({ type: 'subscribed', talk_id: frame.data.talk_id, last_seq: 0 }));
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    }),
  );
  return { port };
});
