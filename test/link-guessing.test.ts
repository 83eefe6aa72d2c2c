/** Guessing personal links is slowed down; a unit head with a valid link is never throttled. */
import { openCycle, timing } from './support/fixtures';
import { useStack } from './support/hooks';

const stack = useStack({ linkGuessLimit: 5 });

test('after 5 failed link lookups an address is refused with 429 and a clear message, valid links included, while failures alone count', async () => {
  const { links } = await openCycle(stack, await stack.token('admin'), {
    timing: timing({ deadline: 300, escalations: [60, 120], hardClose: 180 }),
  });
  const link = links[0]!;

  for (let i = 0; i < 20; i += 1) expect((await fetch(link)).status).toBe(200); // valid use never counts
  const guesses = [];
  for (let i = 0; i < 7; i += 1)
    guesses.push((await fetch(`${stack.baseUrl}/r/${String(i).padStart(43, 'G')}`)).status);
  expect(guesses).toEqual([404, 404, 404, 404, 404, 429, 429]);
  const refused = await fetch(link);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(await refused.text()).toContain('Too many invalid links');
});
