/**
 * Secret ballots stay secret from everyone who reads the record: no member's choice (nor the
 * comment or units of a revision vote) is in the audit events, the auditor's timeline and its
 * downloads, the review status or the cycle's export — while the record keeps who voted on what,
 * and a seal of each ballot that the holder of the server secret can check against the stored
 * ballots the tally is counted from.
 */
import { ballotSealKey, verifyBallotSeals } from '../api/services/council.service';
import { Cycle } from '../db/entities';
import type { ConsolidatedReportContent } from '../domain/consolidation';
import { signInConsole } from './support/console';
import { api, openCycleUnderReview, timing, untar } from './support/fixtures';
import { useStack } from './support/hooks';
import { councilTokens } from './support/stack';

const stack = useStack();

const COMMENT = 'Ý-KIẾN-BÍ-MẬT-của-một-thành-viên';
const CHOICE_WORDS = /"(choice|unitCodes|unit_codes|comment)"|request_revision|"reject"|"approve"/;

test('when ballots are secret, then no choice is in the audit events, the timeline and its downloads, the review status or the export, and the seals check against the stored ballots', async () => {
  const admin = await stack.token('admin');
  const auditor = await stack.token('auditor', 'Kiểm tra viên');
  const council = await councilTokens(stack);
  const { units, campaign, period, base, workflowId } = await openCycleUnderReview(stack, admin, {
    units: 2,
    timing: timing({ deadline: 120, escalations: [60, 120], hardClose: 180 }),
    policy: { secretBallots: true },
  });
  const report = await api<{ content: ConsolidatedReportContent }>(
    stack.baseUrl,
    'GET',
    `${base}/consolidated-reports/1`,
    { token: council[0] },
  );
  const proposal = report.body.content.proposals[0]!.id;

  // One member asks for a revision with a comment; two approve (the report is approved); proposal votes split.
  const vote = (token: string, path: string, body: unknown) =>
    api(stack.baseUrl, 'POST', `${base}${path}`, { token, body });
  expect(
    (
      await vote(council[0]!, '/ballots', {
        version: 1,
        choice: 'request_revision',
        unitCodes: [units[0]!.code],
        comment: COMMENT,
      })
    ).status,
  ).toBe(201);
  expect(
    (await vote(council[0]!, `/proposals/${proposal}/ballots`, { version: 1, choice: 'reject', comment: COMMENT }))
      .status,
  ).toBe(201);
  expect((await vote(council[1]!, `/proposals/${proposal}/ballots`, { version: 1, choice: 'approve' })).status).toBe(
    201,
  );

  // While the review runs: the status shows who voted, to every reader, auditors included — never how.
  for (const reader of [admin, auditor, council[2]!]) {
    const status = await api<Record<string, unknown>>(stack.baseUrl, 'GET', `${base}/review`, { token: reader });
    expect(status.body.voted).toEqual(['Chủ tịch']);
    expect(status.body.ballots).toBeUndefined();
    expect(JSON.stringify(status.body)).not.toMatch(CHOICE_WORDS);
  }
  expect((await vote(council[1]!, '/ballots', { version: 1, choice: 'approve' })).status).toBe(201);
  expect((await vote(council[2]!, '/ballots', { version: 1, choice: 'approve' })).status).toBe(201);
  await stack.client.workflow.getHandle(workflowId).result();

  // The audit events, as administrators and auditors read them.
  for (const reader of [admin, auditor]) {
    const events = await api<{ action: string; actor: { id: string }; after: Record<string, unknown> }[]>(
      stack.baseUrl,
      'GET',
      `${base}/audit-events`,
      { token: reader },
    );
    expect(events.status).toBe(200);
    const cast = events.body.filter((e) => e.action === 'ballot.cast');
    expect(cast).toHaveLength(5);
    expect(cast.map((e) => e.actor.id).sort()).toEqual([
      'Chủ tịch',
      'Chủ tịch',
      'Phó Chủ tịch',
      'Phó Chủ tịch',
      'Ủy viên',
    ]);
    for (const e of cast)
      expect(Object.keys(e.after).sort()).toEqual(['ballotId', 'sealed', 'secret', 'subject', 'version']);
    expect(JSON.stringify(cast)).not.toMatch(CHOICE_WORDS);
    expect(JSON.stringify(events.body)).not.toContain(COMMENT);
  }

  // The auditor's timeline page and its CSV and JSON Lines downloads.
  const session = await signInConsole(stack.baseUrl, auditor);
  for (const path of ['', '/timeline.csv', '/timeline.jsonl']) {
    const res = await fetch(`${stack.baseUrl}/console/audit/${campaign}/${period}${path}`, {
      headers: { cookie: session.cookie },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('sealed');
    expect(text).not.toContain(COMMENT);
    expect(text).not.toMatch(/request_revision|&quot;choice&quot;|""choice""|"choice"/);
  }

  // The export: ballots say who voted on what, never how; nothing else carries a choice or the comment.
  const exported = await fetch(`${stack.baseUrl}${base}/export`, { headers: { authorization: `Bearer ${auditor}` } });
  expect(exported.status).toBe(200);
  const files = await untar(await exported.arrayBuffer());
  const ballots = files
    .get(`${workflowId}/ballots.jsonl`)!
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(ballots).toHaveLength(5);
  for (const b of ballots)
    expect(Object.keys(b).sort()).toEqual(['created_at', 'id', 'report_version', 'subject_key', 'voter']);
  for (const [name, body] of files) {
    expect({ name, leaks: body.includes(COMMENT) }).toEqual({ name, leaks: false });
  }
  expect(
    files
      .get(`${workflowId}/audit-events.jsonl`)!
      .split('\n')
      .filter((l) => l.includes('"ballot.cast"'))
      .join('\n'),
  ).not.toMatch(CHOICE_WORDS);

  // The holder of the server secret checks the stored ballots against the sealed record; a changed ballot shows.
  const cycle = await stack.orm.em.fork().findOneOrFail(Cycle, { workflowId });
  const key = ballotSealKey(stack.config.LINK_SECRET);
  expect(await verifyBallotSeals(stack.orm.em.fork(), key, cycle.id)).toEqual({ ok: true, ballots: 5, mismatched: [] });
  const [changed] = await stack.orm.em
    .fork()
    .execute<{ id: number }[]>(
      `UPDATE ballot SET choice = 'approve' WHERE cycle_id = ? AND choice = 'request_revision' RETURNING id`,
      [cycle.id],
    );
  expect(await verifyBallotSeals(stack.orm.em.fork(), key, cycle.id)).toEqual({
    ok: false,
    ballots: 5,
    mismatched: [changed!.id],
  });
  expect(await verifyBallotSeals(stack.orm.em.fork(), ballotSealKey('another secret '.repeat(4)), cycle.id)).toEqual(
    expect.objectContaining({ ok: false }),
  );
});
