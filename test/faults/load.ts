/**
 * A steady message load for the fault suite: each poster sends into its talk at a fixed pace,
 * through the load balancer, with the reference client. A send that fails in a fault (no answer,
 * 502, 503) is repeated with the same `client_message_id` until it is acknowledged, as a real
 * client would, so that every message the load meant to send ends up acknowledged exactly once.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TalkApi } from '@talk/client/talk-api';

export interface Poster {
  readonly api: TalkApi;
  readonly talkId: string;
}

export interface LoadOptions {
  /** Pause between one poster's sends. */
  readonly intervalMs: number;
  /** How long a single message may keep failing before the poster gives up on it. */
  readonly giveUpAfterMs: number;
  /** The body of each message; short text by default. */
  readonly body?: (n: number) => { readonly text: string; readonly medias?: readonly { type: string; url: string; name: string }[] };
}

export interface LoadResult {
  /** Acknowledged message ids per talk. */
  readonly acknowledged: ReadonlyMap<string, readonly string[]>;
  /** Sends the load repeated after the client itself gave up on them. */
  readonly retried: number;
  /** Messages never acknowledged within `giveUpAfterMs`, with the last error. */
  readonly abandoned: readonly string[];
}

export interface RunningLoad {
  /** Lets every poster finish the message in hand, then resolves with what was acknowledged. */
  stop(): Promise<LoadResult>;
}

export function startLoad(posters: readonly Poster[], options: LoadOptions): RunningLoad {
  const stopping = new AbortController();
  const acknowledged = new Map<string, string[]>();
  const abandoned: string[] = [];
  let retried = 0;

  async function sendUntilAcknowledged(poster: Poster, n: number): Promise<void> {
    const clientMessageId = randomUUID();
    const body = options.body?.(n) ?? { text: `load ${n}` };
    const deadline = Date.now() + options.giveUpAfterMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const message = await poster.api.sendMessage(poster.talkId, { ...body, medias: [...(body.medias ?? [])], client_message_id: clientMessageId });
        retried += attempt - 1;
        const ids = acknowledged.get(poster.talkId) ?? [];
        ids.push(message.id);
        acknowledged.set(poster.talkId, ids);
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          abandoned.push(`${poster.talkId} #${n}: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        await sleep(100);
      }
    }
  }

  const running = posters.map(async (poster) => {
    for (let n = 0; !stopping.signal.aborted; n += 1) {
      await sendUntilAcknowledged(poster, n);
      await sleep(options.intervalMs);
    }
  });

  return {
    async stop() {
      stopping.abort();
      await Promise.all(running);
      return { acknowledged, retried, abandoned };
    },
  };
}
