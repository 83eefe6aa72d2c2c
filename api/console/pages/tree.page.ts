/**
 * The board of a cycle of several levels: the reporting rate of each level, and of each unit
 * others report to, over the units reporting directly to it and over the leaves below it; each
 * such unit links to the board narrowed to its subtree (root → department → unit).
 */
import type { Locale } from '../../../domain/template';
import type { Board } from '../services/cycles.service';
import { html, type Html } from '../../pages/html';
import { formatNumber, formatPercent } from '../../pages/i18n';
import { href } from './layout';

const T = {
  vi: {
    title: 'Theo cấp báo cáo',
    level: 'Cấp',
    leaves: 'Đơn vị cơ sở',
    levelName: (n: number) => (n === 0 ? 'Đơn vị cơ sở' : `Cấp tổng hợp ${n}`),
    units: 'Đơn vị',
    expected: 'Phải nộp',
    submitted: 'Đã nộp',
    onTime: 'Đúng hạn',
    unit: 'Đơn vị tổng hợp',
    own: 'Báo cáo của đơn vị',
    children: 'Đơn vị trực thuộc đã nộp',
    below: 'Đơn vị cơ sở đã nộp',
    missing: 'Chưa nộp',
    yes: 'Đã nộp',
    no: 'Chưa nộp',
    late: 'muộn',
    whole: 'Toàn bộ',
    showing: 'Đang xem nhánh của',
  },
  en: {
    title: 'By reporting level',
    level: 'Level',
    leaves: 'Reporting units',
    levelName: (n: number) => (n === 0 ? 'Reporting units' : `Consolidating level ${n}`),
    units: 'Units',
    expected: 'Expected',
    submitted: 'Submitted',
    onTime: 'On time',
    unit: 'Consolidating unit',
    own: 'Its own report',
    children: 'Units directly below that submitted',
    below: 'Reporting units below that submitted',
    missing: 'Missing',
    yes: 'Submitted',
    no: 'Not yet',
    late: 'late',
    whole: 'Whole tree',
    showing: 'Showing the subtree of',
  },
} as const;

export function treeSection(tree: NonNullable<Board['tree']>, base: string, lang: Locale): Html {
  const t = T[lang];
  const rate = (r: { submitted: number; expected: number }): string =>
    `${formatNumber(r.submitted, lang)}/${formatNumber(r.expected, lang)} (${formatPercent(r.expected ? r.submitted / r.expected : 0, lang)})`;
  return html`<h2 id="levels">${t.title}</h2>
${tree.node ? html`<p id="tree-node">${t.showing} <strong>${tree.node}</strong> · <a href="${base}#levels">${t.whole}</a></p>` : ''}
<div class="table-wrap"><table class="data" id="level-rates"><thead><tr><th scope="col">${t.level}</th><th scope="col">${t.expected}</th><th scope="col">${t.submitted}</th><th scope="col">${t.onTime}</th></tr></thead>
<tbody>${[...tree.levels].reverse().map((l) => html`<tr><td>${t.levelName(l.level)}</td><td>${formatNumber(l.expected, lang)}</td><td>${rate(l)}</td><td>${rate({ submitted: l.onTime, expected: l.expected })}</td></tr>`)}</tbody></table></div>
<div class="table-wrap"><table class="data stack" id="node-rates"><thead><tr><th scope="col">${t.unit}</th><th scope="col">${t.own}</th><th scope="col">${t.children}</th><th scope="col">${t.below}</th><th scope="col">${t.missing}</th></tr></thead>
<tbody>${tree.nodes.map(
    (
      n,
    ) => html`<tr data-node="${n.unitCode}"><td data-label="${t.unit}"><a href="${href(base, { node: n.unitCode })}#levels"><strong>${n.unitCode}</strong></a><br>${n.unitName}</td>
<td data-label="${t.own}">${n.submitted ? t.yes : t.no}${n.late ? html` <span class="badge late">${t.late}</span>` : ''}</td>
<td data-label="${t.children}">${rate(n.children)}</td>
<td data-label="${t.below}">${rate(n.leaves)}</td>
<td data-label="${t.missing}">${n.missingChildren.map((m) => m.unitCode).join(', ')}</td></tr>`,
  )}</tbody></table></div>`;
}
