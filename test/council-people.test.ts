/**
 * Quorum counts people, with the real stack (workflow, worker, API): a council member with two API
 * tokens is one member and votes once; the council of a vote is the campaign's as of the moment
 * the vote opened (recorded), so seating and unseating people afterwards changes neither that
 * vote's quorum nor who may vote in it.
 */
import { removeCouncilSeat, setCouncilSeat } from '../api/services/people.service';
import { ReviewRoll } from '../db/entities';
import type { RelativeTiming } from '../domain/policy';
import {
  api,
  createCampaign,
  createUnits,
  currentPeriod,
  eventually,
  linkIn,
  submitByLink,
  validAnswers,
} from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const SYSTEM = { kind: 'system' as const, id: 'test', origin: 'test' };
let stack: Stack;
let admin = '';
beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token('admin');
});
afterAll(async () => {
  await stack?.stop();
});

interface Member {
  readonly id: number;
  readonly name: string;
  readonly token: string;
}

async function member(name: string): Promise<Member> {
  const { id } = await stack.person('council', name);
  return { id, name, token: await stack.token('council', name, { personId: id }) };
}

const seat = (campaign: string, m: Member, position: 'chair' | 'vice_chair' | 'member' | 'secretary' = 'member') =>
  setCouncilSeat(stack.orm.em.fork(), SYSTEM, { campaign, personId: m.id, position }, new Date());

/** Starts a cycle of one unit on `campaign`, submits its report and waits for the review of version 1. */
async function cycleInReview(campaign: string): Promise<{ base: string; workflowId: string }> {
  const [unit] = await createUnits(stack.orm, 1);
  const period = currentPeriod();
  const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: admin,
    body: { campaign, period, units: [unit!.code] },
  });
  expect(started.status).toBe(201);
  await stack.sink.waitFor(() => stack.sink.to(unit!.headEmail).length === 1);
  const link = linkIn(stack.sink.to(unit!.headEmail)[0]!.text, stack.baseUrl);
  expect((await submitByLink(stack.baseUrl, link, validAnswers())).status).toBe(201);
  const base = `/api/v1/cycles/${campaign}/${period}`;
  await eventually(
    async () =>
      (await api<{ stage: string }>(stack.baseUrl, 'GET', `${base}/review`, { token: admin })).body.stage === 'review'
        ? true
        : undefined,
    { what: 'the review to open' },
  );
  return { base, workflowId: started.body.workflowId };
}

const TIMING: Omit<RelativeTiming, 'kind'> = {
  deadlineAfterSeconds: 600,
  reminderSecondsBefore: [],
  escalationSecondsAfter: [600, 700],
  hardCloseSecondsAfter: 800,
  reviewWindowSeconds: 600,
  revisionWindowSeconds: 600,
};

interface ReviewStatus {
  stage: string;
  members: number;
  voted: string[];
  quorumReached: boolean;
  decision: string | null;
}

test('when a council member holds two API tokens, then they count once in the quorum and vote once', async () => {
  const campaign = await createCampaign(stack.orm, TIMING);
  const [chair, vice, other] = [await member('Chủ tịch A'), await member('Phó Chủ tịch B'), await member('Ủy viên C')];
  const secondToken = await stack.token('council', 'Chủ tịch A (máy tính bảng)', { personId: chair.id });
  await seat(campaign, chair, 'chair');
  await seat(campaign, vice, 'vice_chair');
  await seat(campaign, other);
  const { base } = await cycleInReview(campaign);

  const vote = (token: string) =>
    api<{ code?: string }>(stack.baseUrl, 'POST', `${base}/ballots`, {
      token,
      body: { version: 1, choice: 'approve' },
    });
  expect((await vote(chair.token)).status).toBe(201);
  // The same person through their other token: already voted.
  const twice = await vote(secondToken);
  expect([twice.status, twice.body.code]).toEqual([409, 'already_voted']);

  const status = (await api<ReviewStatus>(stack.baseUrl, 'GET', `${base}/review`, { token: admin })).body;
  expect(status.members).toBe(3); // three people, four tokens
  expect(status.voted).toEqual(['Chủ tịch A']);
  expect(status.quorumReached).toBe(false); // 1 of 3 is below two thirds

  expect((await vote(vice.token)).status).toBe(201);
  const decided = (await api<ReviewStatus>(stack.baseUrl, 'GET', `${base}/review`, { token: admin })).body;
  expect([decided.members, decided.quorumReached, decided.decision]).toEqual([3, true, 'approved']);
});

test('when the council changes after a vote opened, then that vote keeps the council it opened with', async () => {
  const campaign = await createCampaign(stack.orm, TIMING);
  const [a, b, c] = [await member('Thành viên A'), await member('Thành viên B'), await member('Thành viên C')];
  for (const m of [a, b, c]) await seat(campaign, m);
  const { base, workflowId } = await cycleInReview(campaign);
  const roll = await stack.orm.em.fork().findOneOrFail(ReviewRoll, { cycle: { campaign: { code: campaign } } });
  expect(roll.memberIds).toEqual([a.id, b.id, c.id]);

  // After the vote opened: B and C leave the council, four newcomers join it.
  for (const m of [b, c])
    await removeCouncilSeat(stack.orm.em.fork(), SYSTEM, { campaign, personId: m.id }, new Date());
  const newcomers = [];
  for (const name of ['Mới D', 'Mới E', 'Mới F', 'Mới G']) {
    const m = await member(name);
    await seat(campaign, m);
    newcomers.push(m);
  }

  const before = (await api<ReviewStatus>(stack.baseUrl, 'GET', `${base}/review`, { token: admin })).body;
  expect(before.members).toBe(3);
  const vote = (token: string) =>
    api<{ code?: string }>(stack.baseUrl, 'POST', `${base}/ballots`, {
      token,
      body: { version: 1, choice: 'approve' },
    });
  // A newcomer is not on this vote's council.
  const outsider = await vote(newcomers[0]!.token);
  expect([outsider.status, outsider.body.code]).toEqual([403, 'not_on_council']);
  // A and B (who has left since) are: two of three is quorum, and the report is approved.
  expect((await vote(a.token)).status).toBe(201);
  expect((await vote(b.token)).status).toBe(201);
  const result = (await stack.client.workflow.getHandle(workflowId).result()) as { outcome?: string } | undefined;
  const after = (await api<ReviewStatus>(stack.baseUrl, 'GET', `${base}/review`, { token: admin })).body;
  expect([after.members, after.voted.sort(), after.decision]).toEqual([
    3,
    ['Thành viên A', 'Thành viên B'],
    'approved',
  ]);
  expect(after.stage).toBe('closed');
  expect(result).toBeDefined();
});
