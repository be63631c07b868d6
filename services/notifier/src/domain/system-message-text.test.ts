import { systemMessageText } from './system-message-text';

describe('system message text', () => {
  it.each([
    ['added', 'Agent B joined the conversation.'],
    ['joined', 'Agent B joined the conversation.'],
    ['left', 'Agent B left the conversation.'],
    ['removed', 'Agent B was removed from the conversation.'],
  ] as const)('for %s', (reason, text) => {
    expect(systemMessageText('Agent B', reason)).toBe(text);
  });
});
