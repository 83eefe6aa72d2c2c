/**
 * A campaign of several levels: twelve units report to three departments, which report to the
 * council at the root. Each level has its own deadline; a silent unit is escalated to its
 * department's head first; a late department to the secretariat; the consolidation counts each
 * figure once, from the leaves, and gives the rates of every level and department.
 */
import { ConsolidatedReport, Cycle, Unit, UnitTask } from '../db/entities';
import type { IUnit } from '../db/entities/unit.entity';
import JSZip from 'jszip';
import { readConsolidatedReport } from '../db/consolidated-report';
import { defaultTemplate } from '../db/seed-data/default-template';
import type { ReportAnswers } from '../domain/answers';
import {
  api,
  createCampaign,
  currentPeriod,
  eventually,
  linkIn,
  sleep,
  submitByLink,
  tokenOf,
  uniq,
  validAnswers,
} from './support/fixtures';
import { expectText, openBrowser, screenshot, signIn, type BrowserSession } from './support/browser';
import { startStack, type Stack } from './support/stack';
import { recordHistories } from './support/histories';

let stack: Stack;
let browser: BrowserSession;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), openBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface TreeUnit {
  readonly code: string;
  readonly headEmail: string;
}

/** The root, three departments under it and four units under each department. */
async function createTree(): Promise<{ root: TreeUnit; departments: TreeUnit[]; leaves: TreeUnit[][] }> {
  const em = stack.orm.em.fork();
  const tag = uniq('T');
  const make = (code: string, name: string, parent: IUnit | null, supervised: boolean) =>
    em.create(Unit, {
      code,
      name,
      headName: `Thủ trưởng ${code}`,
      headEmail: `head-${code.toLowerCase()}@units.example.org`,
      ...(supervised
        ? {
            supervisorName: 'Lãnh đạo phụ trách',
            supervisorEmail: `supervisor-${tag.toLowerCase()}@leaders.example.org`,
          }
        : {}),
      active: true,
      parent,
    });
  const root = make(`${tag}-BO`, 'Bộ Thông tin và Truyền thông', null, false);
  const departments = [1, 2, 3].map((d) => make(`${tag}-S${d}`, `Sở Thông tin và Truyền thông ${d}`, root, false));
  const leaves = departments.map((dept, d) =>
    [1, 2, 3, 4].map((i) => make(`${tag}-S${d + 1}-DV${i}`, `Đơn vị ${i} của Sở ${d + 1}`, dept, true)),
  );
  await em.flush();
  const ref = (u: { code: string; headEmail: string }): TreeUnit => ({ code: u.code, headEmail: u.headEmail });
  return { root: ref(root), departments: departments.map(ref), leaves: leaves.map((l) => l.map(ref)) };
}

/** A report whose indicator values are `base` plus the indicator's position: distinct per unit. */
function answersWith(base: number, note: string): ReportAnswers {
  const answers = validAnswers(note);
  return {
    ...answers,
    indicators: Object.fromEntries(defaultTemplate.indicators.map((ind, i) => [ind.code, base + i])),
  };
}

test('a three-level cycle: per-level deadlines, escalation to the department head, then to the secretariat; figures from the leaves only; rates per level and per department', async () => {
  const admin = await stack.token('admin');
  const council = [await stack.token('council', 'Chủ tịch'), await stack.token('council', 'Phó Chủ tịch')];
  const { root, departments, leaves } = await createTree();
  const [d1, d2, d3] = departments as [TreeUnit, TreeUnit, TreeUnit];
  const campaign = await createCampaign(stack.orm, {
    deadlineAfterSeconds: 14,
    reminderSecondsBefore: [],
    escalationSecondsAfter: [3, 5],
    hardCloseSecondsAfter: 7,
    reviewWindowSeconds: 600,
    revisionWindowSeconds: 120,
    levelSecondsAfter: [25],
  });
  // The campaign is assigned to the root's subtree through the administration API.
  const patched = await api<{ rootCode: string }>(stack.baseUrl, 'PATCH', `/api/v1/campaigns/${campaign}`, {
    token: admin,
    body: { rootCode: root.code },
  });
  expect(patched.status).toBe(200);
  expect(patched.body.rootCode).toBe(root.code);
  expect(
    (
      await api<{ field: string }>(stack.baseUrl, 'PATCH', `/api/v1/campaigns/${campaign}`, {
        token: admin,
        body: { rootCode: 'NO-SUCH-UNIT' },
      })
    ).body,
  ).toMatchObject({ field: 'rootCode' });

  const period = currentPeriod();
  const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: admin,
    body: { campaign, period },
  });
  expect(started.status).toBe(201);
  const linkOf = async (unit: TreeUnit): Promise<string> => {
    await stack.sink.waitFor(() => stack.sink.to(unit.headEmail).length > 0);
    return linkIn(stack.sink.to(unit.headEmail)[0]!.text, stack.baseUrl);
  };

  // Every unit below the root has a task (the root's council does not report); each level its deadline.
  const cycle = await eventually(
    async () => (await stack.orm.em.fork().findOne(Cycle, { workflowId: started.body.workflowId })) ?? undefined,
    { what: 'the cycle row' },
  );
  const tasks = await stack.orm.em
    .fork()
    .find(UnitTask, { cycle: cycle.id }, { populate: ['unit', 'parentTask.unit'] });
  expect(tasks).toHaveLength(15);
  const taskOf = (unit: TreeUnit) => tasks.find((t) => t.unit.code === unit.code)!;
  const leafDeadline = cycle.plan.schedule.deadline;
  const departmentDeadline = cycle.plan.levels![0]!.deadline;
  expect(Date.parse(departmentDeadline) - Date.parse(leafDeadline)).toBe(25_000);
  for (const [d, dept] of departments.entries()) {
    expect(taskOf(dept)).toMatchObject({ level: 1, parentTask: null });
    expect(taskOf(dept).schedule.deadline).toBe(departmentDeadline);
    for (const leaf of leaves[d]!) {
      expect(taskOf(leaf).level).toBe(0);
      expect(taskOf(leaf).parentTask!.unit.code).toBe(dept.code);
      expect(taskOf(leaf).schedule.deadline).toBe(leafDeadline);
    }
  }

  // Leaves: every one on time but the fourth of department 1 (silent) and the fourth of department 2 (late).
  const silent = leaves[0]![3]!;
  const late = leaves[1]![3]!;
  const leafBase = new Map<string, number>();
  let base = 10;
  for (const leaf of leaves.flat()) {
    if (leaf === silent || leaf === late) continue;
    leafBase.set(leaf.code, (base += 7));
    expect((await submitByLink(stack.baseUrl, await linkOf(leaf), answersWith(base, leaf.code))).body).toMatchObject({
      late: false,
    });
  }
  const lateLink = await linkOf(late);
  await sleep(Math.max(0, Date.parse(leafDeadline) - Date.now()) + 300);
  leafBase.set(late.code, 150);
  expect((await submitByLink(stack.baseUrl, lateLink, answersWith(150, late.code))).body).toMatchObject({ late: true });

  // The silent unit is escalated first to the head of the department it reports to, not to its supervisor.
  await stack.sink.waitFor(() => stack.sink.to(d1.headEmail).some((m) => m.subject.includes('chậm nộp')));
  const toDepartment = stack.sink.to(d1.headEmail).find((m) => m.subject.includes('chậm nộp'))!;
  expect(toDepartment.text).toContain(silent.code);
  expect(toDepartment.text).not.toContain(late.code);

  // Department 2 checks its units through its link and sends one back with a reason; the unit
  // gets the reason by email, its link reopens until the department's deadline, and it resubmits.
  const d2Token = tokenOf(await linkOf(d2));
  const below = await api<{ units: { code: string; state: string }[] }>(
    stack.baseUrl,
    'GET',
    `/api/v1/link/${d2Token}/units`,
  );
  expect(below.body.units.map((u) => u.code)).toEqual(leaves[1]!.map((l) => l.code));
  const sentBack = leaves[1]![0]!;
  const sendBack = (unit: string, reason: string, token = d2Token) =>
    api<{ deadline?: string; code?: string; field?: string }>(
      stack.baseUrl,
      'POST',
      `/api/v1/link/${token}/units/${unit}/send-back`,
      { body: { reason } },
    );
  expect((await sendBack(leaves[0]![0]!.code, 'Không phải đơn vị của Sở')).body).toMatchObject({
    code: 'not_reporting_to_you',
    field: 'unit',
  });
  expect((await sendBack(sentBack.code, 'Số liệu chỉ tiêu 1 chưa khớp')).body).toMatchObject({
    deadline: departmentDeadline,
  });
  await stack.sink.waitFor(() => stack.sink.to(sentBack.headEmail).some((m) => m.subject.includes('chỉnh sửa')));
  const revisionMail = stack.sink.to(sentBack.headEmail).find((m) => m.subject.includes('chỉnh sửa'))!;
  expect(revisionMail.text).toContain('Số liệu chỉ tiêu 1 chưa khớp');
  expect(revisionMail.text).toContain('Sở Thông tin và Truyền thông 2 đề nghị');
  leafBase.set(sentBack.code, 120);
  expect(
    (await submitByLink(stack.baseUrl, await linkOf(sentBack), answersWith(120, `${sentBack.code} đã sửa`))).body,
  ).toMatchObject({ version: 2, late: false });

  // Department 1's head works in the browser: the units reporting to it, one sent back, then its own report up.
  const d1Link = await linkOf(d1);
  await api(stack.baseUrl, 'PUT', `/api/v1/link/${tokenOf(d1Link)}/draft`, { body: answersWith(190, d1.code) });
  const page = browser.page;
  await page.goto(d1Link);
  const table = page.locator('#reporting-units-table');
  await expectText(table, leaves[0]![0]!.code);
  expect(await table.locator('tbody tr').count()).toBe(4);
  await expectText(page.locator(`tr[data-unit="${silent.code}"]`), 'Đã báo cáo cấp trên');
  const d1SentBack = leaves[0]![1]!;
  await page.fill(`#reason-${d1SentBack.code}`, 'Bổ sung minh chứng nhiệm vụ 2');
  await page.locator(`tr[data-unit="${d1SentBack.code}"] button`).click();
  await expectText(page.getByRole('status').first(), `Đã trả lại báo cáo của đơn vị ${d1SentBack.code}`);
  await expectText(page.locator(`tr[data-unit="${d1SentBack.code}"]`), 'Được yêu cầu chỉnh sửa');
  await screenshot(page, 'department-head-units-vi-desktop');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
  await expectText(page.locator('h1'), 'Biên nhận');
  await expectText(page.locator('#receipt-timeliness'), 'Đúng hạn');
  // Once department 1 has reported up, it can no longer send its units back.
  expect((await sendBack(leaves[0]![2]!.code, 'Quá muộn', tokenOf(d1Link))).body).toMatchObject({
    code: 'already_reported_up',
  });
  // The unit department 1 sent back resubmits its revision.
  await stack.sink.waitFor(() => stack.sink.to(d1SentBack.headEmail).some((m) => m.subject.includes('chỉnh sửa')));
  leafBase.set(d1SentBack.code, 130);
  expect(
    (await submitByLink(stack.baseUrl, await linkOf(d1SentBack), answersWith(130, d1SentBack.code))).body,
  ).toMatchObject({ version: 2 });

  // Department 2 reports up on time; department 3 is late and escalated to the secretariat.
  expect((await submitByLink(stack.baseUrl, `/r/${d2Token}`, answersWith(190, d2.code))).body).toMatchObject({
    late: false,
  });
  const d3Link = await linkOf(d3);
  await stack.sink.waitFor(
    () =>
      stack.sink
        .to('thuongtruc@hdtdkt.example.org')
        .some((m) => m.subject.includes('chậm nộp') && m.text.includes(d3.code)),
    40_000,
  );
  expect((await submitByLink(stack.baseUrl, d3Link, answersWith(190, d3.code))).body).toMatchObject({ late: true });

  // Live status by level and by department, for the whole tree and for one department's subtree.
  const treePath = `/api/v1/cycles/${campaign}/${period}/tree`;
  const live = await api<{ units: { code: string; level: number; reportsTo: string | null }[] }>(
    stack.baseUrl,
    'GET',
    treePath,
    { token: council[0] },
  );
  expect(live.status).toBe(200);
  expect(live.body.units.find((u) => u.code === silent.code)).toMatchObject({ level: 0, reportsTo: d1.code });
  const sub = await api<{ units: { code: string }[]; tree: { nodes: { unitCode: string }[] } }>(
    stack.baseUrl,
    'GET',
    `${treePath}?node=${d1.code}`,
    { token: council[0] },
  );
  expect(sub.body.units.map((u) => u.code).sort()).toEqual([d1.code, ...leaves[0]!.map((l) => l.code)].sort());
  expect(sub.body.tree.nodes.map((n) => n.unitCode)).toEqual([d1.code]);
  expect(
    (await api<{ field: string }>(stack.baseUrl, 'GET', `${treePath}?node=NOPE`, { token: admin })).body,
  ).toMatchObject({
    field: 'node',
  });

  // Once the silent unit's hard close passed, the cycle consolidates.
  const base_ = `/api/v1/cycles/${campaign}/${period}`;
  await eventually(
    async () =>
      (await api<{ stage: string }>(stack.baseUrl, 'GET', `${base_}/review`, { token: council[0] })).body.stage ===
      'review'
        ? true
        : undefined,
    { what: 'the review', timeoutMs: 60_000 },
  );
  const content = await readConsolidatedReport(
    stack.orm.em.fork(),
    await stack.orm.em.fork().findOneOrFail(ConsolidatedReport, { cycle: cycle.id, version: 1 }),
  );
  expect(content.tree!.levels).toEqual([
    { level: 0, expected: 12, submitted: 11, onTime: 10, completeness: 0.916667, onTimeRate: 0.833333 },
    { level: 1, expected: 3, submitted: 3, onTime: 2, completeness: 1, onTimeRate: 0.666667 },
  ]);
  const node = (unit: TreeUnit) => content.tree!.nodes.find((n) => n.unitCode === unit.code)!;
  expect(node(d1)).toMatchObject({
    level: 1,
    reportsTo: null,
    submitted: true,
    late: false,
    children: { expected: 4, submitted: 3, onTime: 3 },
    missingChildren: [{ unitCode: silent.code }],
    lateChildren: [],
  });
  expect(node(d2)).toMatchObject({
    children: { expected: 4, submitted: 4, onTime: 3 },
    lateChildren: [{ unitCode: late.code }],
  });
  expect(node(d3)).toMatchObject({ late: true, children: { expected: 4, submitted: 4, onTime: 4 } });
  expect(content.missingUnits.map((u) => u.unitCode)).toEqual([silent.code]);

  // Each indicator at the root equals its aggregation computed here over the leaves' stored reports.
  for (const [i, ind] of defaultTemplate.indicators.entries()) {
    const reported = content.indicators.find((x) => x.code === ind.code)!;
    const leafValues = [...leafBase.entries()].map(([code, b]) => ({ code, value: b + i }));
    expect(reported.reported).toBe(11);
    expect(reported.values.map((v) => v.unitCode).sort()).toEqual(leafValues.map((v) => v.code).sort());
    const expected =
      ind.aggregation === 'sum'
        ? leafValues.reduce((a, v) => a + v.value, 0)
        : ind.aggregation === 'average'
          ? Math.round((leafValues.reduce((a, v) => a + v.value, 0) / leafValues.length) * 1e6) / 1e6
          : ind.aggregation === 'min'
            ? Math.min(...leafValues.map((v) => v.value))
            : ind.aggregation === 'max'
              ? Math.max(...leafValues.map((v) => v.value))
              : undefined; // the default template has no "latest" indicator
    expect(expected).toBeDefined();
    expect({ indicator: ind.code, value: reported.value }).toEqual({ indicator: ind.code, value: expected });
  }
  // A department's own monthly report (Decree 30 layout): issued by it, over its units only.
  const docRes = await fetch(
    `${stack.baseUrl}/api/v1/cycles/${campaign}/${period}/documents/monthly-report.docx?v=1&node=${d1.code}`,
    { headers: { authorization: `Bearer ${admin}` } },
  );
  expect(docRes.status).toBe(200);
  const docXml = await (
    await JSZip.loadAsync(Buffer.from(await docRes.arrayBuffer()))
  )
    .file('word/document.xml')!
    .async('string');
  const docText = docXml.replace(/<[^>]+>/g, '');
  expect(docText).toContain('SỞ THÔNG TIN VÀ TRUYỀN THÔNG 1');
  expect(docText).toContain('Đơn vị 4 của Sở 1'); // its silent unit, missing
  expect(docText).not.toContain('Đơn vị 4 của Sở 2'); // another department's late unit
  expect(
    (
      await api<{ field: string }>(
        stack.baseUrl,
        'GET',
        `/api/v1/cycles/${campaign}/${period}/documents/monthly-report.docx?node=NOPE`,
        { token: admin },
      )
    ).body,
  ).toMatchObject({ field: 'node' });

  // The departments' own reports are kept as texts.
  expect(content.recommendations.map((r) => r.unitCode)).toEqual(expect.arrayContaining([d1.code, d2.code, d3.code]));

  // The board drills down the tree: the rates of each level and department, then one department's subtree.
  await signIn(page, stack.baseUrl, admin);
  await page.goto(`${stack.baseUrl}/console/cycles/${campaign}/${period}?lang=vi`);
  await expectText(page.locator('#node-rates'), d1.code);
  expect(await page.locator(`#node-rates tr[data-node="${d1.code}"]`).innerText()).toMatch(/3\/4[\s\S]*3\/4/);
  await page.locator(`#node-rates tr[data-node="${d1.code}"] a`).click();
  await expectText(page.locator('#tree-node'), d1.code);
  expect(await page.locator('#board tbody tr').count()).toBe(5);
  await screenshot(page, 'board-department-subtree-vi-desktop');

  // The council sends one leaf back: the request travels down to it, and its department is reopened
  // too, so the revised figures come back up through it; both get the council's comment.
  const named = leaves[0]![0]!;
  for (const member of council)
    expect(
      (
        await api(stack.baseUrl, 'POST', `${base_}/ballots`, {
          token: member,
          body: {
            version: 1,
            choice: 'request_revision',
            unitCodes: [named.code],
            comment: 'Đối chiếu lại chỉ tiêu 1',
          },
        })
      ).status,
    ).toBe(201);
  for (const unit of [named, d1])
    await stack.sink.waitFor(() =>
      stack.sink.to(unit.headEmail).some((m) => m.subject.includes('chỉnh sửa') && m.text.includes('Đối chiếu lại')),
    );
  const reopened = await stack.orm.em
    .fork()
    .find(UnitTask, { cycle: cycle.id, state: 'revision_requested' }, { populate: ['unit'] });
  expect(reopened.map((t) => t.unit.code).sort()).toEqual([d1.code, named.code].sort());
  leafBase.set(named.code, 140);
  expect((await submitByLink(stack.baseUrl, await linkOf(named), answersWith(140, named.code))).body).toMatchObject({
    version: 2,
  });
  expect((await submitByLink(stack.baseUrl, d1Link, answersWith(190, `${d1.code} xác nhận`))).body).toMatchObject({
    version: 2,
  });
  await eventually(
    async () =>
      (await api<{ version: number; stage: string }>(stack.baseUrl, 'GET', `${base_}/review`, { token: council[0] }))
        .body.version === 2
        ? true
        : undefined,
    { what: 'the review of version 2', timeoutMs: 60_000 },
  );
  const v2 = await readConsolidatedReport(
    stack.orm.em.fork(),
    await stack.orm.em.fork().findOneOrFail(ConsolidatedReport, { cycle: cycle.id, version: 2 }),
  );
  const first = defaultTemplate.indicators[0]!;
  expect(v2.indicators.find((i) => i.code === first.code)!.values.find((v) => v.unitCode === named.code)!.value).toBe(
    140,
  );
  for (const member of council)
    expect(
      (await api(stack.baseUrl, 'POST', `${base_}/ballots`, { token: member, body: { version: 2, choice: 'approve' } }))
        .status,
    ).toBe(201);
  await stack.client.workflow.getHandle(started.body.workflowId).result();
  const workflowId = started.body.workflowId;
  await recordHistories(stack.client, 'cycle-levels', [
    workflowId,
    `${workflowId}-batch-1`,
    `${workflowId}-unit-${sentBack.code}`,
    `${workflowId}-unit-${named.code}`,
    `${workflowId}-unit-${d1.code}`,
  ]);
});

test('the units CSV builds the tree: parents by code (also further down the file), an unknown parent and a loop refused with their lines, a parent moved by a second file', async () => {
  const admin = await stack.token('admin');
  const importCsv = async (csv: string) => {
    const res = await fetch(`${stack.baseUrl}/api/v1/units/import?dryRun=false`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv; charset=utf-8' },
      body: csv,
    });
    return { status: res.status, body: (await res.json()) as { errors: { line: number; field: string }[] } };
  };
  const p = uniq('TREE');
  const header = 'code,name,headName,headEmail,supervisorName,supervisorEmail,active,parentCode';
  const row = (code: string, parent: string) =>
    `${code},Đơn vị ${code},Thủ trưởng,${code.toLowerCase()}@x.example.org,,,,${parent}`;
  const csv = (...rows: string[]) => [header, ...rows, ''].join('\n');

  const refused = await importCsv(
    csv(row(`${p}-A`, `${p}-B`), row(`${p}-B`, `${p}-A`), row(`${p}-C`, 'NO-SUCH-UNIT'), row(`${p}-D`, '')),
  );
  expect(refused.status).toBe(400);
  expect(refused.body.errors.map((e) => [e.line, e.field])).toEqual([
    [2, 'parentCode'],
    [3, 'parentCode'],
    [4, 'parentCode'],
  ]);
  expect(await stack.orm.em.fork().count(Unit, { code: { $like: `${p}-%` } })).toBe(0);

  // A child before its parent in the file; the root has no parent.
  expect(
    (await importCsv(csv(row(`${p}-LEAF`, `${p}-DEPT`), row(`${p}-DEPT`, `${p}-ROOT`), row(`${p}-ROOT`, '')))).status,
  ).toBe(200);
  const parentOf = async (code: string) =>
    (await stack.orm.em.fork().findOneOrFail(Unit, { code }, { populate: ['parent'] })).parent?.code ?? null;
  expect([await parentOf(`${p}-LEAF`), await parentOf(`${p}-DEPT`), await parentOf(`${p}-ROOT`)]).toEqual([
    `${p}-DEPT`,
    `${p}-ROOT`,
    null,
  ]);
  // Moving the leaf straight under the root; a file without the column keeps the parents as they are.
  expect((await importCsv(csv(row(`${p}-LEAF`, `${p}-ROOT`)))).status).toBe(200);
  expect(await parentOf(`${p}-LEAF`)).toBe(`${p}-ROOT`);
  const withoutColumn = [
    header.replace(',parentCode', ''),
    `${p}-LEAF,Đơn vị ${p}-LEAF,Thủ trưởng,x@x.example.org,,,`,
    '',
  ].join('\n');
  expect((await importCsv(withoutColumn)).status).toBe(200);
  expect(await parentOf(`${p}-LEAF`)).toBe(`${p}-ROOT`);

  // The console shows the tree; a search marks the unit and opens the branch leading to it.
  const page = browser.page;
  await signIn(page, stack.baseUrl, admin);
  await page.goto(`${stack.baseUrl}/console/units/tree?q=${p}-LEAF&lang=vi`);
  await expectText(page.locator('#tree-count'), '1 đơn vị khớp');
  expect(await page.locator('#unit-tree mark').allInnerTexts()).toEqual([`Đơn vị ${p}-LEAF`]);
  expect(await page.locator(`li[data-unit="${p}-ROOT"] > details`).getAttribute('open')).not.toBeNull();
  expect(await page.locator(`li[data-unit="${p}-DEPT"]`).isVisible()).toBe(true);
  await screenshot(page, 'unit-tree-search-vi-desktop');
});
