import { createTalkLanes, type LaneTurn } from './talk-lanes';
import { emptyTalkState, type TalkState } from '@talk/decisions/talk-state';

const stateAt = (talkId: string, seq: number): TalkState => ({ ...emptyTalkState(talkId), seq });

/** A promise the test resolves by hand. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('createTalkLanes', () => {
  it('runs the decisions on one talk one at a time, each from the state the one before it left', async () => {
    const lanes = createTalkLanes();
    const seen: (number | null)[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const decide = (carried: TalkState | null): Promise<LaneTurn<number>> => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      seen.push(carried?.seq ?? null);
      const seq = (carried?.seq ?? 0) + 1;
      return new Promise((resolve) =>
        setTimeout(() => {
          running -= 1;
          resolve({ result: seq, state: stateAt('t', seq), followUp: () => Promise.resolve() });
        }, 1),
      );
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => lanes.run('t', decide)));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual([null, 1, 2, 3, 4]);
    expect(mostAtOnce).toBe(1);
    expect(lanes.size).toBe(0);
  });

  it('lets the next decision run beside a follow-up, and runs the follow-ups in order', async () => {
    const lanes = createTalkLanes();
    const order: string[] = [];
    const firstFollowUp = gate();
    const first = lanes.run('t', () =>
      Promise.resolve({
        result: 'first',
        state: stateAt('t', 1),
        followUp: async () => {
          await firstFollowUp.opened;
          order.push('first followed up');
        },
      }),
    );
    const second = lanes.run('t', () => {
      order.push('second decided');
      return Promise.resolve({ result: 'second', state: stateAt('t', 2), followUp: () => Promise.resolve(void order.push('second followed up')) });
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual(['second decided']);
    firstFollowUp.open();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(order).toEqual(['second decided', 'first followed up', 'second followed up']);
  });

  it('forgets the state after a failed decision, and keeps other talks apart', async () => {
    const lanes = createTalkLanes();
    const failing = lanes.run('t', () => Promise.reject(new Error('refused')));
    const carried: (TalkState | null)[] = [];
    const next = lanes.run('t', (state) => {
      carried.push(state);
      return Promise.resolve({ result: 1, state: stateAt('t', 1), followUp: () => Promise.resolve() });
    });
    const other = lanes.run('u', (state) => Promise.resolve({ result: state, state: stateAt('u', 7), followUp: () => Promise.resolve() }));
    expect(lanes.size).toBe(2);
    await expect(failing).rejects.toThrow('refused');
    expect(await next).toBe(1);
    expect(await other).toBeNull();
    expect(carried).toEqual([null]);
    expect(lanes.size).toBe(0);
  });
});
