/**
 * Reading a log of numbered entries by point lookups: entries `from`, `from + 1`, … until one is
 * missing. Every read is an exact match that each server answers from an index (FerretDB v1
 * included, where a range would read the whole log, docs/storage.md); reads go out several at once,
 * in windows that double while every entry is there, so that the usual case (nothing or one entry
 * new) is one round trip and a long way behind is a few more.
 */
const MAX_WINDOW = 16;

export interface ReadOnwardsOptions {
  /** The last entry wanted: reading stops there even when more follow. */
  readonly upTo?: number;
}

export async function readOnwards<T>(from: number, read: (n: number) => Promise<T | null>, { upTo = Infinity }: ReadOnwardsOptions = {}): Promise<T[]> {
  const found: T[] = [];
  let next = from;
  for (let window = 1; next <= upTo; window = Math.min(window * 2, MAX_WINDOW)) {
    const size = Math.min(window, upTo - next + 1);
    const batch = await Promise.all(Array.from({ length: size }, (_, i) => read(next + i)));
    for (const entry of batch) {
      if (entry === null) return found;
      found.push(entry);
    }
    next += size;
  }
  return found;
}
