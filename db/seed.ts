/**
 * Seed data. Reference data (the default template, the policies, the holiday calendar) is
 * ensured on every start; the demo (a campaign and a few units with fake addresses) only when
 * the database has no unit at all.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, Policy, ReportTemplate, Unit } from './entities';
import type { IUnit } from './entities/unit.entity';
import { DEFAULT_POLICY, type CyclePolicy, type RelativeTiming } from '../domain/policy';
import { DEFAULT_TEMPLATE_CODE, defaultTemplate } from './seed-data/default-template';

/** A policy that runs a whole cycle in minutes, for trying the product. */
const DEMO_TIMING: RelativeTiming = {
  kind: 'relative',
  deadlineAfterSeconds: 10 * 60,
  reminderSecondsBefore: [5 * 60, 2 * 60],
  escalationSecondsAfter: [2 * 60, 4 * 60],
  hardCloseSecondsAfter: 6 * 60,
  reviewWindowSeconds: 30 * 60,
  revisionWindowSeconds: 10 * 60,
};
export const DEMO_POLICY: CyclePolicy = { ...DEFAULT_POLICY, timing: DEMO_TIMING };

/** The demo policy for a campaign of two reporting levels: districts report three minutes after their units. */
export const DEMO_LEVELS_POLICY: CyclePolicy = {
  ...DEFAULT_POLICY,
  timing: { ...DEMO_TIMING, levelSecondsAfter: [3 * 60] },
};

/** Public holidays (local dates) that move deadlines; editable data, reviewed each year. */
export const HOLIDAYS_2026: readonly { date: string; name: string }[] = [
  { date: '2026-01-01', name: 'Tết Dương lịch' },
  { date: '2026-02-16', name: 'Tết Nguyên đán' },
  { date: '2026-02-17', name: 'Tết Nguyên đán' },
  { date: '2026-02-18', name: 'Tết Nguyên đán' },
  { date: '2026-02-19', name: 'Tết Nguyên đán' },
  { date: '2026-02-20', name: 'Tết Nguyên đán' },
  { date: '2026-04-27', name: 'Giỗ Tổ Hùng Vương (nghỉ bù)' },
  { date: '2026-04-30', name: 'Ngày Chiến thắng' },
  { date: '2026-05-01', name: 'Ngày Quốc tế Lao động' },
  { date: '2026-09-01', name: 'Quốc khánh' },
  { date: '2026-09-02', name: 'Quốc khánh' },
];

export const DEMO_UNITS = [
  {
    code: 'VP-BO',
    name: 'Văn phòng Bộ',
    headName: 'Nguyễn Văn An',
    headEmail: 'chanhvanphong@vpbo.example.org',
    supervisorName: 'Thứ trưởng Trần Minh',
    supervisorEmail: 'thutruong.tranminh@bo.example.org',
  },
  {
    code: 'CUC-ATTT',
    name: 'Cục An toàn thông tin',
    headName: 'Lê Thị Bình',
    headEmail: 'cuctruong@attt.example.org',
    supervisorName: 'Thứ trưởng Trần Minh',
    supervisorEmail: 'thutruong.tranminh@bo.example.org',
  },
  {
    code: 'STTTT-AG',
    name: 'Sở Thông tin và Truyền thông An Giang',
    headName: 'Phạm Văn Cường',
    headEmail: 'giamdoc@stttt-angiang.example.org',
    supervisorName: 'Thứ trưởng Hoàng Lan',
    supervisorEmail: 'thutruong.hoanglan@bo.example.org',
  },
  {
    code: 'VNPOST',
    name: 'Tổng công ty Bưu điện Việt Nam',
    headName: 'Đỗ Thị Dung',
    headEmail: 'tonggiamdoc@vnpost.example.org',
    supervisorName: 'Thứ trưởng Hoàng Lan',
    supervisorEmail: 'thutruong.hoanglan@bo.example.org',
  },
] as const;

/**
 * The An Giang Department's own tree for the demo of several levels: two district offices under
 * the Department, two units under each. The Department is the root (its council reviews).
 */
export const DEMO_TREE = [
  { code: 'PVHTT-LX', parent: 'STTTT-AG', name: 'Phòng Văn hóa và Thông tin TP Long Xuyên', head: 'Trương Văn Em' },
  { code: 'PVHTT-CD', parent: 'STTTT-AG', name: 'Phòng Văn hóa và Thông tin TP Châu Đốc', head: 'Võ Thị Giang' },
  { code: 'TTVH-LX', parent: 'PVHTT-LX', name: 'Trung tâm Văn hóa - Thông tin Long Xuyên', head: 'Huỳnh Văn Hải' },
  { code: 'DTT-LX', parent: 'PVHTT-LX', name: 'Đài Truyền thanh Long Xuyên', head: 'Lý Thị Kim' },
  { code: 'TTVH-CD', parent: 'PVHTT-CD', name: 'Trung tâm Văn hóa - Thông tin Châu Đốc', head: 'Mai Văn Long' },
  { code: 'DTT-CD', parent: 'PVHTT-CD', name: 'Đài Truyền thanh Châu Đốc', head: 'Ngô Thị Minh' },
] as const;

export async function seedReferenceData(em: EntityManager): Promise<void> {
  if (!(await em.findOne(ReportTemplate, { code: DEFAULT_TEMPLATE_CODE }))) {
    em.create(ReportTemplate, { code: DEFAULT_TEMPLATE_CODE, version: 1, definition: defaultTemplate });
  }
  for (const [code, definition] of [
    ['monthly', DEFAULT_POLICY],
    ['demo-minutes', DEMO_POLICY],
    ['demo-minutes-levels', DEMO_LEVELS_POLICY],
  ] as const) {
    if (!(await em.findOne(Policy, { code }))) em.create(Policy, { code, definition });
  }
  await em.flush();
  for (const h of HOLIDAYS_2026) {
    await em.execute(
      'INSERT INTO holiday (created_at, updated_at, date, name) VALUES (now(), now(), ?, ?) ON CONFLICT (date) DO NOTHING',
      [h.date, h.name],
    );
  }
  const monthly = await em.findOneOrFail(Policy, { code: 'monthly' });
  if (!(await em.findOne(Campaign, { code: 'thi-dua-hang-thang' }))) {
    em.create(Campaign, {
      code: 'thi-dua-hang-thang',
      name: 'Thi đua hàng tháng ngành TT&TT',
      templateCode: DEFAULT_TEMPLATE_CODE,
      policy: monthly,
    });
  }
  await em.flush();
}

/**
 * Adds the demo units and two campaigns whose cycles run in minutes, only into an empty database:
 * `demo`, every unit reporting straight to the council, and `demo-an-giang`, the An Giang
 * Department's units reporting through their district offices.
 */
export async function seedDemo(em: EntityManager): Promise<boolean> {
  if ((await em.count(Unit, {})) > 0) return false;
  const byCode = new Map<string, IUnit>();
  for (const unit of DEMO_UNITS) byCode.set(unit.code, em.create(Unit, { ...unit, active: true }));
  for (const unit of DEMO_TREE)
    byCode.set(
      unit.code,
      em.create(Unit, {
        code: unit.code,
        name: unit.name,
        headName: unit.head,
        headEmail: `${unit.code.toLowerCase()}@angiang.example.org`,
        parent: byCode.get(unit.parent)!,
        active: true,
      }),
    );
  const levels = await em.findOneOrFail(Policy, { code: 'demo-minutes-levels' });
  em.create(Campaign, {
    code: 'demo-an-giang',
    name: 'Thử nghiệm nhiều cấp: Sở TT&TT An Giang (chu kỳ vài phút)',
    templateCode: DEFAULT_TEMPLATE_CODE,
    policy: levels,
    rootUnit: byCode.get('STTTT-AG')!,
  });
  const demo = await em.findOneOrFail(Policy, { code: 'demo-minutes' });
  if (!(await em.findOne(Campaign, { code: 'demo' }))) {
    em.create(Campaign, {
      code: 'demo',
      name: 'Thử nghiệm (chu kỳ vài phút)',
      templateCode: DEFAULT_TEMPLATE_CODE,
      policy: demo,
    });
  }
  await em.flush();
  return true;
}
