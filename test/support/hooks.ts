/**
 * What a test file opens before its tests and closes after them, through jest's hooks. Kept apart
 * from the other support files, which the benchmarks import too (they run without jest).
 */
import { openBrowser, type BrowserSession } from './browser';
import { startStack, type Stack, type StackOptions } from './stack';

/**
 * Something `open` makes before the tests of the calling file (or `describe` block) and `close`
 * ends after them. The answer forwards every property to it, methods bound, so tests use it as
 * they would the thing itself — in hooks and tests, once it is open.
 */
export function useForTests<T extends object>(what: string, open: () => Promise<T>, close: (t: T) => Promise<void>): T {
  let opened: T | undefined;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    if (opened) await close(opened);
  });
  return new Proxy({} as T, {
    get(_, key) {
      if (key === 'then') return undefined; // not a promise, whether open or not
      if (!opened) throw new Error(`${what} opens in beforeAll: use it in hooks and tests only`);
      const value: unknown = Reflect.get(opened, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(opened) : value;
    },
  });
}

/**
 * The stack for the test file (or `describe` block) that calls this: started before its tests,
 * stopped after them. The answer forwards to that stack, so tests use it as they would the stack.
 */
export function useStack(options: StackOptions = {}): Stack {
  return useForTests(
    'the stack',
    () => startStack(options),
    (stack) => stack.stop(),
  );
}

/** A browser for the test file (or `describe` block) that calls this, opened before its tests and closed after them. */
export function useBrowser(options: { javaScript?: boolean } = {}): BrowserSession {
  return useForTests(
    'the browser',
    () => openBrowser(options),
    (session) => session.close(),
  );
}
