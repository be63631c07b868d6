import { batchKeys } from '../../src/platform/key-batch';
import { afterThisTick } from './ticks';

describe('batchKeys', () => {
  it('hands on the keys given in one tick in one call, each key once', async () => {
    const handled: (readonly string[])[] = [];
    const follow = batchKeys((keys) => handled.push(keys));
    follow('a');
    follow('b');
    follow('a');
    expect(handled).toEqual([]);
    await afterThisTick();
    expect(handled).toEqual([['a', 'b']]);
  });

  it('calls again for keys given in a later tick, with those keys only', async () => {
    const handled: (readonly string[])[] = [];
    const follow = batchKeys((keys) => handled.push(keys));
    follow('a');
    await afterThisTick();
    follow('b');
    follow('a');
    await afterThisTick();
    expect(handled).toEqual([['a'], ['b', 'a']]);
  });

  it('does not call in a tick when no key was given', async () => {
    const handled: (readonly string[])[] = [];
    const follow = batchKeys((keys) => handled.push(keys));
    follow('a');
    await afterThisTick();
    await afterThisTick();
    expect(handled).toEqual([['a']]);
  });
});
