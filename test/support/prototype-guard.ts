/**
 * Suite-wide: fails any test after which a built-in prototype has gained a property (prototype
 * pollution by a request or by the code under test), and removes what was added so the tests
 * after it run on clean prototypes. Registered in jest.config.js (`setupFilesAfterEnv`).
 */
const GUARDED: readonly [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];
const baseline = new Map(GUARDED.map(([name, proto]) => [name, new Set(Reflect.ownKeys(proto))]));

afterEach(() => {
  const added: string[] = [];
  for (const [name, proto] of GUARDED) {
    for (const key of Reflect.ownKeys(proto)) {
      if (baseline.get(name)!.has(key)) continue;
      added.push(`${name}.${String(key)}`);
      delete (proto as Record<PropertyKey, unknown>)[key];
    }
  }
  if (added.length) throw new Error(`A built-in prototype was polluted during this test: ${added.join(', ')}`);
});
