/**
 * A tree of units for the benchmarks of several levels: a root, `layers` layers of `width`
 * consolidating units each (every unit of a layer under one of the layer above, round-robin), and
 * the given leaves spread round-robin under the last layer; the campaign is assigned to the root.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { TestUnit } from '../../test/support/fixtures';

export async function buildTree(
  orm: MikroORM,
  leaves: readonly TestUnit[],
  campaign: string,
  { layers, width }: { layers: number; width: number },
): Promise<TestUnit[]> {
  const em = orm.em.fork();
  const tag = `T${Date.now().toString(36)}`.toUpperCase();
  const unit = (code: string, name: string): TestUnit => ({
    code,
    name,
    headEmail: `head-${code.toLowerCase()}@units.example.org`,
    supervisorEmail: `supervisor-${tag.toLowerCase()}@leaders.example.org`,
  });
  const insert = (u: TestUnit) =>
    em.execute(
      `INSERT INTO unit (created_at, updated_at, code, name, head_name, head_email, active) VALUES (now(), now(), ?, ?, ?, ?, true)`,
      [u.code, u.name, `Thủ trưởng ${u.code}`, u.headEmail],
    );
  const setParent = (codes: readonly string[], parent: string) =>
    em.execute(`UPDATE unit SET parent_id = (SELECT id FROM unit WHERE code = ?) WHERE code = ANY(?::text[])`, [
      parent,
      `{${codes.join(',')}}`,
    ]);
  const root = unit(`${tag}-ROOT`, 'Bộ (gốc)');
  await insert(root);
  let above = [root];
  const consolidating: TestUnit[] = [];
  for (let layer = 1; layer <= layers; layer += 1) {
    const here = Array.from({ length: width }, (_, i) => unit(`${tag}-L${layer}-${i + 1}`, `Sở ${layer}.${i + 1}`));
    for (const u of here) await insert(u);
    for (const [i, parent] of above.entries())
      await setParent(
        here.filter((_, j) => j % above.length === i).map((u) => u.code),
        parent.code,
      );
    consolidating.push(...here);
    above = here;
  }
  for (const [i, parent] of above.entries())
    await setParent(
      leaves.filter((_, j) => j % above.length === i).map((u) => u.code),
      parent.code,
    );
  await em.execute(`UPDATE campaign SET root_unit_id = (SELECT id FROM unit WHERE code = ?) WHERE code = ?`, [
    root.code,
    campaign,
  ]);
  return consolidating;
}
