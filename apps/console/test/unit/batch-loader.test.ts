import { createBatchLoader } from '../../src/platform/batch-loader';
import { afterThisTick } from './ticks';

interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
}

/** Node 20 has no Promise.withResolvers. */
function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** A loadMany that answers `value-<key>` for every key except those in `missing`, and records its calls. */
function recordingLoadMany(missing: readonly string[] = []) {
  const calls: (readonly string[])[] = [];
  const loadMany = (keys: readonly string[]): Promise<ReadonlyMap<string, string>> => {
    calls.push(keys);
    return Promise.resolve(new Map(keys.filter((key) => !missing.includes(key)).map((key) => [key, `value-${key}`])));
  };
  return { calls, loadMany };
}

describe('createBatchLoader', () => {
  it('loads every key asked for in one tick in one loadMany call', async () => {
    const { calls, loadMany } = recordingLoadMany();
    const load = createBatchLoader(loadMany, 10);
    const values = await Promise.all([load('a'), load('b'), load('c')]);
    expect(values).toEqual(['value-a', 'value-b', 'value-c']);
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  it('splits more than maxBatch keys into several calls of at most maxBatch', async () => {
    const { calls, loadMany } = recordingLoadMany();
    const load = createBatchLoader(loadMany, 2);
    const values = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(load));
    expect(values).toEqual(['value-a', 'value-b', 'value-c', 'value-d', 'value-e']);
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('loads a key asked for twice in a tick once, and gives both callers its value', async () => {
    const { calls, loadMany } = recordingLoadMany();
    const load = createBatchLoader(loadMany, 10);
    const values = await Promise.all([load('a'), load('b'), load('a')]);
    expect(values).toEqual(['value-a', 'value-b', 'value-a']);
    expect(calls).toEqual([['a', 'b']]);
  });

  it('resolves undefined for a key the answer does not hold', async () => {
    const { loadMany } = recordingLoadMany(['gone']);
    const load = createBatchLoader(loadMany, 10);
    expect(await Promise.all([load('a'), load('gone')])).toEqual(['value-a', undefined]);
  });

  it('rejects every caller of a batch whose loadMany rejects, and only those', async () => {
    const failure = new Error('presence unavailable');
    const calls: (readonly string[])[] = [];
    const loadMany = (keys: readonly string[]): Promise<ReadonlyMap<string, string>> => {
      calls.push(keys);
      return keys.includes('a') ? Promise.reject(failure) : Promise.resolve(new Map(keys.map((key) => [key, `value-${key}`])));
    };
    const load = createBatchLoader(loadMany, 2);
    const settled = await Promise.allSettled([load('a'), load('b'), load('a'), load('c')]);
    expect(calls).toEqual([['a', 'b'], ['c']]);
    expect(settled).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 'value-c' },
    ]);
  });

  it('makes a new call for keys asked for in a later tick, even while the earlier batch is loading', async () => {
    const answers: Deferred<ReadonlyMap<string, string>>[] = [];
    const calls: (readonly string[])[] = [];
    const load = createBatchLoader((keys) => {
      calls.push(keys);
      const answer = deferred<ReadonlyMap<string, string>>();
      answers.push(answer);
      return answer.promise;
    }, 10);

    const first = load('a');
    await afterThisTick();
    const second = load('a');
    const third = load('b');
    await afterThisTick();
    expect(calls).toEqual([['a'], ['a', 'b']]);

    answers[0]?.resolve(new Map([['a', 'first']]));
    answers[1]?.resolve(new Map([['a', 'second'], ['b', 'b']]));
    expect(await Promise.all([first, second, third])).toEqual(['first', 'second', 'b']);
  });

  it('makes a new call when a key is asked for again after its batch answered', async () => {
    const { calls, loadMany } = recordingLoadMany();
    const load = createBatchLoader(loadMany, 10);
    await load('a');
    expect(await load('a')).toBe('value-a');
    expect(calls).toEqual([['a'], ['a']]);
  });
});
