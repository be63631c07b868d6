/** Resolves once every microtask queued so far has run: whatever was put off to the end of this tick has happened. */
export const afterThisTick = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });
