import { AppError } from '@talk/shared/errors';
import { notFoundAs } from './access';

const thrownBy = (handler: (error: unknown) => never, error: unknown): unknown => {
  try {
    handler(error);
  } catch (thrown) {
    return thrown;
  }
  throw new Error('the handler returned');
};

describe('notFoundAs', () => {
  it('names the message when the talk is not found', () => {
    const thrown = thrownBy(notFoundAs('message m1'), new AppError('NOT_FOUND', 'talk t1 was not found'));
    expect(thrown).toMatchObject({ code: 'NOT_FOUND', message: 'message m1 was not found' });
  });

  it('keeps any other failure as it is: an outage is not a missing message', () => {
    const outage = new Error('connect ECONNREFUSED');
    expect(thrownBy(notFoundAs('message m1'), outage)).toBe(outage);
    const closed = new AppError('TALK_CLOSED', 'talk t1 is closed');
    expect(thrownBy(notFoundAs('message m1'), closed)).toBe(closed);
  });
});
