import { loggableUrl } from './logger';

describe('loggableUrl', () => {
  it('replaces secrets found in the parsed query, whatever case their keys were sent in', () => {
    // `?%74oken=…` arrives parsed as `token`: the code that authenticates sees it so, and so does this.
    expect(loggableUrl('/v1.0/talks', { token: 'eyJhbGci.secret', page_size: '20' })).toBe('/v1.0/talks?token=[redacted]&page_size=20');
    expect(loggableUrl('/v1.0/agents', { AccessKey: 'k', TOKEN: ['a', 'b'] })).toBe('/v1.0/agents?AccessKey=[redacted]&TOKEN=[redacted]&TOKEN=[redacted]');
  });

  it('keeps the path alone when there is no query', () => {
    expect(loggableUrl('/v1.0/talks', {})).toBe('/v1.0/talks');
  });
});
