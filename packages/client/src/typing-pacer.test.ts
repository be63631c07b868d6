import { createTypingPacer } from './typing-pacer';

describe('typing pacer', () => {
  it('lets one typing frame per talk through every 3 s, and forgets talks whose period passed', () => {
    const pacer = createTypingPacer();
    expect(pacer.pass('t', 0)).toBe(true);
    expect(pacer.pass('t', 2_999)).toBe(false);
    expect(pacer.pass('u', 2_999)).toBe(true);
    expect(pacer.pass('t', 3_000)).toBe(true);
    expect(pacer.pass('u', 5_998)).toBe(false);
    expect(pacer.pass('u', 5_999)).toBe(true);
  });
});
