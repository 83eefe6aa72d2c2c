/**
 * Who reports to whom in a cycle of several levels. The units taking part are a subset of the
 * registered tree below the campaign's root: each reports to its nearest ancestor that takes part
 * (the council's, at the root, when none does), and a unit's level is 0 when nothing reports to it,
 * otherwise one more than the highest level among those reporting to it.
 */

export interface RegisteredUnit {
  readonly id: number;
  readonly parentId: number | null;
}

export interface ReportingLine {
  /** The taking-part unit this one reports to; null for the root's council. */
  readonly reportsTo: number | null;
  readonly level: number;
}

export function reportingLines(
  registered: readonly RegisteredUnit[],
  takingPart: ReadonlySet<number>,
): Map<number, ReportingLine> {
  const parentOf = new Map(registered.map((u) => [u.id, u.parentId]));
  const reportsTo = new Map<number, number | null>();
  for (const id of takingPart) {
    let up = parentOf.get(id) ?? null;
    const seen = new Set<number>([id]);
    while (up !== null && !takingPart.has(up) && !seen.has(up)) {
      seen.add(up);
      up = parentOf.get(up) ?? null;
    }
    reportsTo.set(id, up !== null && takingPart.has(up) ? up : null);
  }
  const children = new Map<number, number[]>();
  for (const [id, to] of reportsTo) if (to !== null) children.set(to, [...(children.get(to) ?? []), id]);
  const level = new Map<number, number>();
  const levelOf = (id: number, depth = 0): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    if (depth > takingPart.size) throw new Error('the reporting lines loop');
    const below = children.get(id) ?? [];
    const value = below.length === 0 ? 0 : 1 + Math.max(...below.map((c) => levelOf(c, depth + 1)));
    level.set(id, value);
    return value;
  };
  return new Map([...takingPart].map((id) => [id, { reportsTo: reportsTo.get(id) ?? null, level: levelOf(id) }]));
}

/**
 * The members below `root` (not itself), in their given order: those whose chain of `parent`s
 * reaches it. A loop in the data stops at the first member seen twice.
 */
export function membersBelow<T, K>(
  members: readonly T[],
  key: (m: T) => K,
  parent: (m: T) => K | null | undefined,
  root: K,
): T[] {
  const childrenOf = new Map<K, T[]>();
  for (const m of members) {
    const p = parent(m);
    if (p === null || p === undefined) continue;
    const list = childrenOf.get(p);
    if (list) list.push(m);
    else childrenOf.set(p, [m]);
  }
  const inside = new Set<T>();
  const pending = [...(childrenOf.get(root) ?? [])];
  while (pending.length > 0) {
    const m = pending.pop()!;
    if (inside.has(m) || key(m) === root) continue;
    inside.add(m);
    pending.push(...(childrenOf.get(key(m)) ?? []));
  }
  return members.filter((m) => inside.has(m));
}
