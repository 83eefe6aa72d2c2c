/** Guessing personal links is slowed down; a unit head with a valid link is never throttled. */
import { startStack, type Stack } from './support/stack';
import { api, createCampaign, createUnits, currentPeriod, linkIn } from './support/fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ linkGuessLimit: 5 });
});
afterAll(async () => {
  await stack?.stop();
});

test('after 5 failed link lookups an address is refused with 429 and a clear message, valid links included, while failures alone count', async () => {
  const [unit] = await createUnits(stack.orm, 1);
  const campaign = await createCampaign(stack.orm, {
    deadlineAfterSeconds: 300,
    reminderSecondsBefore: [],
    escalationSecondsAfter: [60, 120],
    hardCloseSecondsAfter: 180,
    reviewWindowSeconds: 600,
    revisionWindowSeconds: 600,
  });
  await api(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: await stack.token('admin'),
    body: { campaign, period: currentPeriod(), units: [unit!.code] },
  });
  await stack.sink.waitFor(() => stack.sink.to(unit!.headEmail).length === 1);
  const link = linkIn(stack.sink.to(unit!.headEmail)[0]!.text, stack.baseUrl);

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
