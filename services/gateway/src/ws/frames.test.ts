import { errorFrame, eventFrame, parseClientFrame, subscribedFrame } from './frames';

const talkId = '6f1c1f4e-8a39-4a4b-9b55-0c2f7d1d2e10';

describe('client frames', () => {
  it('parses the three frame types', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'subscribe', talk_id: talkId, after_seq: 41 }))).toEqual({
      ok: true,
      frame: { type: 'subscribe', talk_id: talkId, after_seq: 41 },
    });
    expect(parseClientFrame(JSON.stringify({ type: 'unsubscribe', talk_id: talkId }))).toMatchObject({ ok: true });
    expect(parseClientFrame('{"type":"ping"}')).toEqual({ ok: true, frame: { type: 'ping' } });
  });

  it.each([
    ['not JSON', 'subscribe me', {}],
    ['a JSON string', '"ping"', {}],
    ['an unknown type', '{"type":"publish","talk_id":"x"}', { type: 'publish', talk_id: 'x' }],
    ['a bad talk id', '{"type":"subscribe","talk_id":"42"}', { type: 'subscribe', talk_id: '42' }],
    ['a negative after_seq', `{"type":"subscribe","talk_id":"${talkId}","after_seq":-1}`, { type: 'subscribe', talk_id: talkId }],
    ['a fractional after_seq', `{"type":"subscribe","talk_id":"${talkId}","after_seq":1.5}`, { type: 'subscribe', talk_id: talkId }],
  ])('refuses %s with INVALID_ARGUMENT and echoes what it can', (_what, text, ref) => {
    const parsed = parseClientFrame(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('INVALID_ARGUMENT');
    expect(parsed.ref).toEqual(ref);
  });
});

describe('server frames', () => {
  it('are the contract shapes', () => {
    expect(JSON.parse(subscribedFrame(talkId, 57))).toEqual({ type: 'subscribed', talk_id: talkId, last_seq: 57 });
    expect(JSON.parse(errorFrame('NOT_FOUND', 'no', { type: 'subscribe', talk_id: talkId }))).toEqual({
      type: 'error',
      code: 'NOT_FOUND',
      message: 'no',
      ref: { type: 'subscribe', talk_id: talkId },
    });
    expect(JSON.parse(errorFrame('INVALID_ARGUMENT', 'bad', {}))).toEqual({ type: 'error', code: 'INVALID_ARGUMENT', message: 'bad' });
    expect(JSON.parse(eventFrame('{"id":"e","seq":3}').bytes.subarray(2).toString('utf8'))) // after a 2-byte header.toEqual({ type: 'event', event: { id: 'e', seq: 3 } });
  });
});
