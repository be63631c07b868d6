/**
 * Subscribing with `after_seq` on one WebSocket, timed from sending the subscribe frame until the
 * `subscribed` frame and every replayed event up to the talk's newest seq have arrived; then an
 * unsubscribe, and the next subscribe on the same socket, as a client that switches between talks.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import type { TimedSubscribe } from './history-protocol';

const Frame = z
  .object({
    type: z.string(),
    talk_id: z.string().optional(),
    last_seq: z.number().optional(),
    event: z.object({ talk_id: z.string(), seq: z.number() }).loose().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
  })
  .loose();
type Frame = z.infer<typeof Frame>;

/** Far above any sample: a replay reads the talk's log, which may scan on FerretDB. */
const SAMPLE_TIMEOUT_MS = 600_000;

export interface SubscribeTimer {
  /** Subscribes, waits for the replay, unsubscribes; resolves with the milliseconds until the replay was in. */
  once(): Promise<number>;
  close(): Promise<void>;
}

export async function openSubscribeTimer(spec: TimedSubscribe): Promise<SubscribeTimer> {
  const socket = new WebSocket(spec.wsUrl, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let onFrame: ((frame: Frame) => void) | undefined;
  let onGone: ((error: Error) => void) | undefined;
  socket.on('message', (data: Buffer) => onFrame?.(Frame.parse(JSON.parse(data.toString('utf8')))));
  socket.once('close', (code) => onGone?.(new Error(`the gateway closed the socket with ${code}`)));
  socket.on('error', (error) => onGone?.(error));

  return {
    async once() {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        let subscribed = false;
        let next = spec.afterSeq + 1;
        const timer = setTimeout(() => fail(new Error(`no replay within ${SAMPLE_TIMEOUT_MS} ms (subscribed ${subscribed}, next seq ${next})`)), SAMPLE_TIMEOUT_MS);
        const fail = (error: Error): void => {
          clearTimeout(timer);
          reject(error);
        };
        onGone = fail;
        onFrame = (frame) => {
          if (frame.type === 'error') fail(new Error(`the gateway answered ${frame.code ?? '?'}: ${frame.message ?? ''}`));
          else if (frame.type === 'subscribed' && frame.talk_id === spec.talkId) {
            if (frame.last_seq !== spec.lastSeq) fail(new Error(`subscribed at seq ${frame.last_seq ?? '?'}, not at the talk's ${spec.lastSeq}`));
            subscribed = true;
          }
          else if (frame.type === 'event' && frame.event?.talk_id === spec.talkId) {
            if (frame.event.seq !== next) fail(new Error(`replay sent seq ${frame.event.seq} where ${next} was due`));
            next += 1;
          }
          if (subscribed && next > spec.lastSeq) {
            clearTimeout(timer);
            resolve();
          }
        };
        socket.send(JSON.stringify({ type: 'subscribe', talk_id: spec.talkId, after_seq: spec.afterSeq }));
      });
      const elapsed = performance.now() - started;
      onFrame = undefined;
      onGone = undefined;
      socket.send(JSON.stringify({ type: 'unsubscribe', talk_id: spec.talkId }));
      return elapsed;
    },
    close() {
      return new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000);
      });
    },
  };
}
