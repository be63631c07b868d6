/**
 * Load process of the connections benchmark: opens idle WebSocket clients, each subscribed to one
 * talk, and keeps them open until the process is stopped (ws answers the server's pings by
 * itself). Connections are spread over several loopback source addresses, because one address
 * has only the ~28k ports of the ephemeral range and a bound socket cannot reuse a port still in
 * TIME_WAIT from an earlier phase.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { serveParent } from '../lib/child';
import { IdleClientsRequest, type IdleClientsOpened } from './protocol';





const Reply = z.object({ type: z.string() }).loose();
const MAX_FAILURES_KEPT = 5;
/** A server that neither answers nor closes must not hold a worker for good. */
const SUBSCRIBED_WITHIN_MS = 30_000;

/** The `type` of a server frame; undefined for one that is not a JSON object with a type. */
function typeOf(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined; // reported by the caller with the text itself
  }
  const reply = Reply.safeParse(json);
  return reply.success ? reply.data.type : undefined;
}

const sockets = new Set<WebSocket>();

/** Resolves once the server answered the subscribe with `subscribed`; rejects on an error frame or close. */
function open(url: string, talkId: string, localAddress: string): Promise<void> {
  const socket = new WebSocket(url, { perMessageDeflate: false, localAddress });
  return new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.off('close', onEarlyClose);
      socket.terminate();
      reject(error);
    };
    const onEarlyClose = (code: number): void => fail(new Error(`closed with ${code} before subscribing`));
    const timer = setTimeout(() => fail(new Error(`not subscribed within ${SUBSCRIBED_WITHIN_MS} ms`)), SUBSCRIBED_WITHIN_MS);
    // After the first error the socket only closes; the listener stays so that none is unhandled.
    socket.on('error', fail);
    socket.once('close', onEarlyClose);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', talk_id: talkId })));
    socket.once('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (typeOf(text) !== 'subscribed') {
        fail(new Error(`answered ${text}`));
        return;
      }
      // Idle from here on: a later close is not a failure of the opening.
      clearTimeout(timer);
      socket.off('close', onEarlyClose);
      socket.once('close', () => sockets.delete(socket));
      sockets.add(socket);
      resolve();
    });
  });
}

serveParent(IdleClientsRequest, async (request) => {
  const { clients, localAddresses, concurrency } = request;
  const failures: string[] = [];
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < clients.length; i = next++) {
      const client = clients[i];
      if (client === undefined) return;
      try {
        await open(client.url, client.talkId, localAddresses[i % localAddresses.length] ?? '127.0.0.1');
      } catch (error) {
        failed += 1;
        if (failures.length < MAX_FAILURES_KEPT) failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { subscribed: sockets.size, failed, failures } satisfies IdleClientsOpened;
});
