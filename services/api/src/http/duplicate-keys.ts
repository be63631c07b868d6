/**
 * `JSON.parse` keeps the last of two equal keys (`{"text":"a","text":"b"}` is `{text: "b"}`), so a
 * body may say two things and a proxy, a log or a WAF in front of the API may read the other one.
 * A body with a key twice in one object is refused instead; this finds the first such key, in one
 * pass over the text, without recursion (a body is at most 64 KiB, nested as deep as it likes).
 * Text that is not JSON yields null: the parser that runs next refuses it with its own error.
 */

type Frame = { readonly kind: 'object'; readonly keys: Set<string>; key: string | null } | { readonly kind: 'array'; index: number };

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** Index just past the string token starting at `start` (a `"`), or -1 if it does not end. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\\') i += 1;
    else if (char === '"') return i + 1;
  }
  return -1;
}

function nextNonWhitespace(text: string, from: number): string | undefined {
  let i = from;
  while (i < text.length && WHITESPACE.has(text[i] ?? '')) i += 1;
  return text[i];
}

/** `medias[0].url`: where the frames are. */
function pathOf(frames: readonly Frame[]): string {
  return frames
    .map((frame) => (frame.kind === 'array' ? `[${frame.index}]` : `.${frame.key ?? ''}`))
    .join('')
    .replace(/^\./, '');
}

function decodeKey(token: string): string | null {
  try {
    const key: unknown = JSON.parse(token);
    return typeof key === 'string' ? key : null;
  } catch {
    return null;
  }
}

/** The path of the first key that appears twice in one object, or null. */
export function firstDuplicateKey(text: string): string | null {
  const frames: Frame[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    const top = frames.at(-1);
    if (char === '{') frames.push({ kind: 'object', keys: new Set(), key: null });
    else if (char === '[') frames.push({ kind: 'array', index: 0 });
    else if (char === '}' || char === ']') frames.pop();
    else if (char === ',' && top?.kind === 'array') top.index += 1;
    else if (char === '"') {
      const end = endOfString(text, i);
      if (end === -1) return null;
      if (top?.kind === 'object' && nextNonWhitespace(text, end) === ':') {
        const key = decodeKey(text.slice(i, end));
        if (key === null) return null;
        top.key = key;
        if (top.keys.has(key)) return pathOf(frames);
        top.keys.add(key);
      }
      i = end - 1;
    }
  }
  return null;
}
