import { firstDuplicateKey } from './duplicate-keys';

describe('duplicate JSON keys', () => {
  it.each([
    ['{"text":"a","text":"b"}', 'text'],
    ['{"text":"a", "medias":[{"url":"x","name":"n"},{"url":"y","url":"z"}]}', 'medias[1].url'],
    ['{"a":{"b":1,"b":2}}', 'a.b'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['[[{}], {"x":1, "x" : 2}]', '[1].x'],
    ['{ "a" :1 ,\n "a"\t: 2 }', 'a'],
  ])('finds the key of %s twice', (text, path) => {
    expect(firstDuplicateKey(text)).toBe(path);
  });

  it.each([
    '{"text":"a","name":"b"}',
    '[{"url":"x"},{"url":"y"}]',
    '{"a":{"b":1},"b":{"a":1}}',
    '{"text":"\\"text\\": 1, \\"text\\":"}',
    '{"text":"a:b", "other":"text"}',
    '"text"',
    '{"text": ',
    '{"a":"unterminated',
    '',
  ])('finds none in %s', (text) => {
    expect(firstDuplicateKey(text)).toBeNull();
  });

  it('walks a deeply nested body without recursion', () => {
    const deep = `${'['.repeat(50_000)}{"a":1,"a":2}${']'.repeat(50_000)}`;
    expect(firstDuplicateKey(deep)).toMatch(/\.a$/);
  });
});
