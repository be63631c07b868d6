/**
 * Data-layer timing process of the unread benchmark: the database work of one page of
 * `GET /v1.0/talks`, called in-process through the same adapters the API's use cases call
 * (services/api/src/domain/talks.ts `list` and `render`), without HTTP, auth or JSON around it.
 *
 * - `plain`: the listing as it was before read state: the agent's talks in order, a page cut,
 *   the page's active participant counts.
 * - `read_state`: the same, with `readStates.stateOf` of each talk of the page beside the counts.
 *
 * The difference is what read state adds to a listing, measured on the same data in the same run;
 * it is the baseline of the `unread` ratio. Command counts come from the driver's command
 * monitoring (as packages/store/test/query-indexes.int.test.ts does), on a client of their own so
 * that the timed client pays for no monitoring.
 */
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { createReadStateDirectory, type ReadStateDirectory } from '@talk/store/contract-adapters/read-state-directory';
import { createTalkDirectory, type TalkDirectory } from '@talk/store/contract-adapters/talk-directory';
import { createStore } from '@talk/store/store';
import { serveParent } from '../lib/child';
import { percentile } from '../lib/stats';
import { StoreRequest, type CommandCount, type Comparison, type StoreVariant, type VariantTiming } from './unread-protocol';

interface Layer {
  readonly talks: TalkDirectory;
  readonly readStates: ReadStateDirectory;
}

interface Connected {
  readonly clients: readonly MongoClient[];
  readonly timed: Layer;
  readonly monitored: Layer;
  readonly agentId: string;
  counting: Map<string, number> | undefined;
}

const layerOf = (client: MongoClient, db: string): Layer => {
  const store = createStore(client.db(db));
  return { talks: createTalkDirectory(store.talks), readStates: createReadStateDirectory(store.readStates) };
};

/** One page's data-layer work; resolves with the number of talks rendered. */
async function page(layer: Layer, agentId: string, variant: StoreVariant, pageSize: number): Promise<number> {
  const listed = await layer.talks.listTalksOfAgent(agentId, { limit: pageSize + 1 });
  const shown = listed.slice(0, pageSize);
  const ids = shown.map(({ talk }) => talk.id);
  const [counts] = await Promise.all([
    layer.talks.countActiveParticipants(ids),
    variant === 'read_state'
      ? Promise.all(shown.map(({ talk, membership }) => layer.readStates.stateOf({ talkId: talk.id, agentId, joinedSeq: membership.joinedSeq, leftAtSeq: membership.leftAtSeq })))
      : Promise.resolve([]),
  ]);
  return counts.size;
}

function timingOf(latencies: readonly number[]): VariantTiming {
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), samples: latencies.length };
}

function createStoreTimer(): (request: StoreRequest) => Promise<object> {
  let connected: Connected | undefined;
  const need = (): Connected => {
    if (connected === undefined) throw new Error('not connected');
    return connected;
  };
  return async (request) => {
    switch (request.type) {
      case 'connect': {
        const timedClient = await MongoClient.connect(request.mongoUrl);
        const monitoredClient = await MongoClient.connect(request.mongoUrl, { monitorCommands: true });
        const state: Connected = {
          clients: [timedClient, monitoredClient],
          timed: layerOf(timedClient, request.db),
          monitored: layerOf(monitoredClient, request.db),
          agentId: request.agentId,
          counting: undefined,
        };
        monitoredClient.on('commandStarted', (event: CommandStartedEvent) => {
          const counts = state.counting;
          if (counts === undefined) return;
          const collection: unknown = event.command[event.commandName];
          const kind = `${event.commandName} ${typeof collection === 'string' ? collection : ''}`.trim();
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
        });
        connected = state;
        return {};
      }
      case 'compare': {
        const { timed, agentId } = need();
        const latencies: Record<StoreVariant, number[]> = { plain: [], read_state: [] };
        const once = async (variant: StoreVariant): Promise<number> => {
          const started = performance.now();
          const rendered = await page(timed, agentId, variant, request.pageSize);
          const elapsed = performance.now() - started;
          if (rendered !== request.pageSize) throw new Error(`a page rendered ${rendered} talks, not ${request.pageSize}`);
          return elapsed;
        };
        for (let n = 0; n < request.warmup; n += 1) {
          await once('plain');
          await once('read_state');
        }
        // In turn, so that whatever else the machine does falls on both alike.
        for (let n = 0; n < request.samples; n += 1) {
          const first: StoreVariant = n % 2 === 0 ? 'plain' : 'read_state';
          const second: StoreVariant = first === 'plain' ? 'read_state' : 'plain';
          latencies[first].push(await once(first));
          latencies[second].push(await once(second));
        }
        const comparison: Comparison = { plain: timingOf(latencies.plain), read_state: timingOf(latencies.read_state) };
        return comparison;
      }
      case 'count': {
        const state = need();
        const counts = new Map<string, number>();
        state.counting = counts;
        const started = performance.now();
        try {
          await page(state.monitored, state.agentId, request.variant, request.pageSize);
        } finally {
          state.counting = undefined;
        }
        const ms = performance.now() - started;
        const result: CommandCount = { ms, total: [...counts.values()].reduce((sum, n) => sum + n, 0), byKind: Object.fromEntries(counts) };
        return result;
      }
      case 'close': {
        const state = need();
        connected = undefined;
        await Promise.all(state.clients.map((client) => client.close()));
        return {};
      }
    }
  };
}

serveParent(StoreRequest, createStoreTimer());
