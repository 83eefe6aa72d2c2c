/**
 * Group commit for work that must run *after* a caller's own commit: callers that arrive while a
 * pass is running join the next one, and each caller is answered by the first pass that started
 * after it called. Under load, one round trip then serves every caller of that moment instead of
 * one each; alone, a caller waits for exactly one pass, as if it had run the work itself.
 */
export type GroupedPass<K, R> = (key: K) => Promise<R>;

export function groupedPass<K, R>(pass: (keys: readonly K[]) => Promise<ReadonlyMap<K, R>>): GroupedPass<K, R> {
  interface Group {
    readonly keys: Set<K>;
    readonly done: Promise<ReadonlyMap<K, R>>;
    resolve(result: ReadonlyMap<K, R>): void;
    reject(error: unknown): void;
  }
  let running = false;
  let waiting: Group | undefined;

  const newGroup = (): Group => {
    let resolve!: Group['resolve'];
    let reject!: Group['reject'];
    const done = new Promise<ReadonlyMap<K, R>>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { keys: new Set(), done, resolve, reject };
  };
  const runNext = (): void => {
    const group = waiting;
    if (!group || running) return;
    waiting = undefined;
    running = true;
    pass([...group.keys])
      .then(group.resolve, group.reject)
      .finally(() => {
        running = false;
        runNext();
      });
  };

  return async (key) => {
    waiting ??= newGroup();
    const group = waiting;
    group.keys.add(key);
    runNext();
    const results = await group.done;
    if (!results.has(key)) throw new Error('grouped pass: a pass answered without one of its keys');
    return results.get(key)!;
  };
}
