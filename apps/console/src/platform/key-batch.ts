/** Keys given in the same tick, handed on together once (repeats once): many callers, one frame. */
export function batchKeys(handle: (keys: readonly string[]) => void): (key: string) => void {
  let waiting = new Set<string>();
  return (key) => {
    if (waiting.size === 0) {
      queueMicrotask(() => {
        const keys = [...waiting];
        waiting = new Set();
        handle(keys);
      });
    }
    waiting.add(key);
  };
}
