/**
 * Every unit as a tree: who reports to whom. Collapsible without scripts (`<details>`); a search
 * marks the units whose code or name matches and opens the branches that lead to them, so a unit
 * is found among 10,000.
 */
import type { UnitTreeNode } from '../services/units.service';
import { html, type Html } from '../../pages/html';
import { formatNumber } from '../../pages/i18n';
import { consolePage, type ConsoleView } from './layout';

const T = {
  vi: {
    title: 'Cây đơn vị',
    hint: 'Mỗi đơn vị báo cáo lên đơn vị cấp trên của nó. Bấm vào một đơn vị để mở hoặc thu gọn các đơn vị cấp dưới.',
    search: 'Tìm theo mã hoặc tên',
    apply: 'Tìm',
    clear: 'Bỏ tìm',
    found: 'đơn vị khớp',
    units: 'đơn vị',
    inactive: 'ngừng hoạt động',
    list: 'Danh sách đơn vị',
    edit: 'Sửa',
  },
  en: {
    title: 'Unit tree',
    hint: 'Each unit reports to the unit above it. Select a unit to open or close the units below it.',
    search: 'Search by code or name',
    apply: 'Search',
    clear: 'Clear',
    found: 'units match',
    units: 'units',
    inactive: 'inactive',
    list: 'Unit list',
    edit: 'Edit',
  },
} as const;

/** Deeper than any real administration; a loop in the data stops here. */
const MAX_DEPTH = 64;

export function unitTreePage(v: ConsoleView, forest: readonly UnitTreeNode[], q: string | undefined): string {
  const t = T[v.lang];
  const needle = q?.trim().normalize('NFC').toLocaleLowerCase('vi') ?? '';
  const matches = (n: UnitTreeNode): boolean =>
    needle !== '' &&
    (n.code.toLocaleLowerCase('vi').includes(needle) || n.name.toLocaleLowerCase('vi').includes(needle));
  // Which branches hold a match (so they open), counted once per unit.
  const holdsMatch = new Map<UnitTreeNode, boolean>();
  let found = 0;
  let total = 0;
  const scan = (n: UnitTreeNode, depth: number): boolean => {
    total += 1;
    const self = matches(n);
    if (self) found += 1;
    const below = depth < MAX_DEPTH ? n.children.map((c) => scan(c, depth + 1)).some(Boolean) : false;
    holdsMatch.set(n, below);
    return self || below;
  };
  forest.forEach((n) => scan(n, 0));
  const label = (n: UnitTreeNode): Html =>
    html`${matches(n) ? html`<mark>${n.name}</mark>` : n.name} <span class="hint">(${n.code})</span>${n.active ? '' : html` <span class="badge">${t.inactive}</span>`} <a href="/console/units/${encodeURIComponent(n.code)}" class="hint" aria-label="${t.edit} ${n.code}">✎</a>`;
  const item = (n: UnitTreeNode, depth: number): Html =>
    n.children.length === 0 || depth >= MAX_DEPTH
      ? html`<li data-unit="${n.code}">${label(n)}</li>`
      : html`<li data-unit="${n.code}"><details${(needle ? holdsMatch.get(n) : depth === 0) ? html` open` : ''}><summary>${label(n)} <span class="hint">· ${formatNumber(n.children.length, v.lang)}</span></summary><ul>${n.children.map((c) => item(c, depth + 1))}</ul></details></li>`;
  const body = html`<h1>${t.title}</h1>
<p class="hint">${t.hint} <a href="/console/units">${t.list}</a></p>
<form method="get" action="/console/units/tree" class="filters" role="search"><div><label for="t-q">${t.search}</label><input id="t-q" name="q" value="${q ?? ''}"></div>
<div><button type="submit" class="small">${t.apply}</button>${needle ? html` <a href="/console/units/tree">${t.clear}</a>` : ''}</div></form>
<p class="hint" id="tree-count">${needle ? html`${formatNumber(found, v.lang)} ${t.found} · ` : ''}${formatNumber(total, v.lang)} ${t.units}</p>
<ul class="unit-tree" id="unit-tree">${forest.map((n) => item(n, 0))}</ul>`;
  return consolePage(v, { title: t.title, current: 'units', body });
}
