/** The group commit behind the after-report work: who shares a pass, and who waits for the next. */
import { groupedPass } from '../api/services/grouped-pass';

interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}
const gate = (): Gate => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

test('callers that arrive during a pass share the next one, which starts after it; each gets its own answer', async () => {
  const passes: number[][] = [];
  const gates: Gate[] = [];
  const run = groupedPass<number, string>(async (keys) => {
    passes.push([...keys]);
    const g = gate();
    gates.push(g);
    await g.opened;
    return new Map(keys.map((k) => [k, `answer ${k} from pass ${passes.length}`]));
  });

  const first = run(1); // starts pass 1 at once
  await Promise.resolve();
  expect(passes).toEqual([[1]]);
  const later = [run(2), run(3), run(2)]; // arrive while pass 1 runs: grouped into pass 2
  await Promise.resolve();
  expect(passes).toEqual([[1]]); // pass 2 waits for pass 1: it must start after their calls
  gates[0]!.open();
  expect(await first).toBe('answer 1 from pass 1');
  await new Promise((resolve) => setImmediate(resolve));
  expect(passes).toEqual([[1], [2, 3]]);
  gates[1]!.open();
  expect(await Promise.all(later)).toEqual(['answer 2 from pass 2', 'answer 3 from pass 2', 'answer 2 from pass 2']);
});

test('a failed pass fails its own callers only; the next pass runs', async () => {
  let calls = 0;
  const run = groupedPass<string, number>(async (keys) => {
    calls += 1;
    if (calls === 1) throw new Error('database gone');
    return new Map(keys.map((k) => [k, calls]));
  });
  await expect(run('a')).rejects.toThrow('database gone');
  expect(await run('b')).toBe(2);
});

test('a pass that leaves a key out is an error for that caller, not a silent undefined', async () => {
  const run = groupedPass<string, number>(async () => new Map());
  await expect(run('x')).rejects.toThrow(/without one of its keys/);
});
