/**
 * Gathers single lookups into batched requests: every key asked for in the same tick goes into
 * one `loadMany` call of at most `maxBatch` keys (more calls when there are more), so that a screen
 * of fifty presence dots costs one request, not fifty. A key asked for twice in a tick is loaded once.
 */
export type BatchLoader<V> = (key: string) => Promise<V | undefined>;

interface Caller<V> {
  readonly resolve: (value: V | undefined) => void;
  readonly reject: (error: unknown) => void;
}

export function createBatchLoader<V>(loadMany: (keys: readonly string[]) => Promise<ReadonlyMap<string, V>>, maxBatch: number): BatchLoader<V> {
  let waiting = new Map<string, Caller<V>[]>();

  const load = (keys: readonly string[], callersOf: ReadonlyMap<string, readonly Caller<V>[]>): void => {
    const each = (settle: (caller: Caller<V>, key: string) => void): void => {
      for (const key of keys) for (const caller of callersOf.get(key) ?? []) settle(caller, key);
    };
    loadMany(keys).then(
      (found) => each((caller, key) => caller.resolve(found.get(key))),
      (error: unknown) => each((caller) => caller.reject(error)),
    );
  };

  const flush = (): void => {
    const batch = waiting;
    waiting = new Map();
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += maxBatch) load(keys.slice(start, start + maxBatch), batch);
  };

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (waiting.size === 0) queueMicrotask(flush);
      const callers = waiting.get(key);
      if (callers === undefined) waiting.set(key, [{ resolve, reject }]);
      else callers.push({ resolve, reject });
    });
}
