import { createSlots } from './slots';

describe('createSlots', () => {
  it('lets `limit` holders in, queues the rest in order, and passes a released slot to the next', async () => {
    const slots = createSlots(2);
    const first = await slots.acquire();
    const second = await slots.acquire();
    const order: string[] = [];
    const third = slots.acquire().then((release) => (order.push('third'), release));
    const fourth = slots.acquire().then((release) => (order.push('fourth'), release));
    expect([slots.inUse, slots.waiting]).toEqual([2, 2]);
    first();
    first(); // a second release of the same slot changes nothing
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    expect([slots.inUse, slots.waiting]).toEqual([0, 0]);
  });
});
