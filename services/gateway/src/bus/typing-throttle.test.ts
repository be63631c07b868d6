import { createTypingThrottle } from './typing-throttle';

describe('typing throttle', () => {
  it('lets one typing frame per agent and talk through per 2 s', () => {
    const throttle = createTypingThrottle();
    expect(throttle.pass('t', 'a', 0)).toBe(true);
    expect(throttle.pass('t', 'a', 1_999)).toBe(false);
    expect(throttle.pass('t', 'b', 1_999)).toBe(true);
    expect(throttle.pass('u', 'a', 1_999)).toBe(true);
    expect(throttle.pass('t', 'a', 2_000)).toBe(true);
    expect(throttle.pass('t', 'a', 3_000)).toBe(false);
  });

  it('forgets the pairs of past windows', () => {
    const throttle = createTypingThrottle();
    for (let i = 0; i < 1_000; i += 1) throttle.pass('t', `agent-${i}`, i);
    expect(throttle.size).toBe(1_000);
    throttle.pass('t', 'late', 2_500);
    expect(throttle.size).toBe(500); // agents 501–999 typed within the window, and "late"
  });
});
