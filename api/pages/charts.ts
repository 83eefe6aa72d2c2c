/**
 * Charts drawn on the server as inline SVG: real axes, ticks and labels, colours from the
 * stylesheet (classes, never inline styles, so the strict CSP holds), a text alternative for
 * screen readers (`role="img"`, `<title>`, `<desc>`), and they print. Each viewBox is narrow
 * (360 units, about a phone's width) so that its text stays readable when a phone scales it
 * down; legends are HTML, so they wrap.
 */
import type { IndicatorTarget } from '../../domain/template';
import { formatNumber, formatPercent, type Locale } from './i18n';
import { html, type Html } from './html';

const W = 360;
let counter = 0;
const nextId = (prefix: string): string => `${prefix}-${(counter = (counter + 1) % 1_000_000)}`;
const r = (x: number): number => Math.round(x * 10) / 10;

/** Round tick values covering [min, max] (the "nice numbers" of Heckbert's Graphics Gems). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.5 : 1;
    return niceTicks(min - (min === 0 ? 0 : pad), max + pad, count);
  }
  const nice = (x: number, round: boolean): number => {
    const exp = Math.floor(Math.log10(x));
    const f = x / 10 ** exp;
    const nf = round ? (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) : f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nf * 10 ** exp;
  };
  const step = nice(nice(max - min, false) / (count - 1), true);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return ticks.map((t) => Number(t.toPrecision(12)));
}

function frame(id: string, height: number, title: string, desc: string, content: Html): Html {
  return html`<svg class="chart" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" focusable="false"><title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>${content}</svg>`;
}

/** An x axis along `y` from `x0` to `x1` for `ticks`, with gridlines up to `top`. */
function xAxis(
  ticks: readonly number[],
  scale: (v: number) => number,
  y: number,
  top: number,
  label: (v: number) => string,
): Html {
  return html`<g class="axis">${ticks.map((t) => html`<line class="grid" x1="${r(scale(t))}" x2="${r(scale(t))}" y1="${top}" y2="${y}"></line><line x1="${r(scale(t))}" x2="${r(scale(t))}" y1="${y}" y2="${y + 4}"></line><text x="${r(scale(t))}" y="${y + 16}" text-anchor="middle">${label(t)}</text>`)}<line x1="${r(scale(ticks[0]!))}" x2="${r(scale(ticks.at(-1)!))}" y1="${y}" y2="${y}"></line></g>`;
}

/**
 * A progress bar 0–100 %, e.g. completeness on the status board: the label and value are HTML
 * text (readable at any width), the bar an SVG stretched to the width.
 */
export function progressBar({
  ratio,
  label,
  detail,
  lang,
  tone = 'ok',
}: {
  ratio: number;
  label: string;
  detail: string;
  lang: Locale;
  tone?: 'ok' | 'info';
}): Html {
  const value = formatPercent(ratio, lang);
  const width = Math.max(0, Math.min(1, ratio)) * 100;
  return html`<div class="progress" role="img" aria-label="${label}: ${value} (${detail})"><div class="progress-label" aria-hidden="true"><span>${label}</span><strong>${value} · ${detail}</strong></div><svg class="progress-bar" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false" aria-hidden="true"><rect class="track" x="0" y="0" width="100" height="10" rx="1.5"></rect><rect class="bar ${tone}" x="0" y="0" width="${r(width)}" height="10" rx="1.5"></rect></svg></div>`;
}

export interface RateRow {
  readonly label: string;
  readonly ratio: number;
  /** e.g. "8 / 10 đơn vị" */
  readonly detail: string;
  readonly tone: 'ok' | 'info' | 'warn';
}

/** Horizontal bars on a 0–100 % axis: completeness and on-time rate. */
export function rateChart({ title, rows, lang }: { title: string; rows: readonly RateRow[]; lang: Locale }): Html {
  const id = nextId('rate');
  const left = 100;
  const right = W - 12;
  const rowH = 34;
  const top = 8;
  const axisY = top + rows.length * rowH + 4;
  const scale = (v: number): number => left + v * (right - left);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const desc = rows.map((row) => `${row.label}: ${formatPercent(row.ratio, lang)} (${row.detail})`).join('; ');
  return frame(
    id,
    axisY + 24,
    title,
    desc,
    html`${xAxis(ticks, scale, axisY, top, (t) => formatPercent(t, lang))}${rows.map((row, i) => {
      const y = top + i * rowH + 6;
      const width = Math.max(0, Math.min(1, row.ratio)) * (right - left);
      const inside = width > 120;
      return html`<text class="label" x="${left - 8}" y="${y + 15}" text-anchor="end">${row.label}</text><rect class="bar ${row.tone}" x="${left}" y="${y}" width="${r(width)}" height="22"></rect><text class="${inside ? 'value inverse' : 'value'}" x="${r(inside ? scale(row.ratio) - 6 : scale(row.ratio) + 6)}" y="${y + 15}" text-anchor="${inside ? 'end' : 'start'}">${formatPercent(row.ratio, lang)} · ${row.detail}</text>`;
    })}`,
  );
}

export interface StackSegment {
  readonly key: string;
  readonly label: string;
  readonly tone: 'ok' | 'info' | 'warn' | 'bad' | 'muted';
}

/** Stacked horizontal bars on a count axis, e.g. key tasks: done / in progress / not started. */
export function stackedBarChart({
  title,
  segments,
  rows,
  max,
  lang,
  unitWord,
}: {
  title: string;
  segments: readonly StackSegment[];
  rows: readonly { label: string; hint: string; values: Readonly<Record<string, number>> }[];
  max: number;
  lang: Locale;
  unitWord: string;
}): Html {
  const id = nextId('stack');
  const left = 64;
  const right = W - 12;
  const rowH = 26;
  const top = 6;
  const axisY = top + rows.length * rowH + 2;
  const ticks = niceTicks(0, Math.max(1, max), Math.min(6, Math.max(2, max + 1)));
  const ticksInt = [...new Set(ticks.filter((t) => Number.isInteger(t)))];
  const hi = ticksInt.at(-1) ?? 1;
  const scale = (v: number): number => left + (v / hi) * (right - left);
  const legend = html`<ul class="chart-legend" aria-hidden="true">${segments.map((s) => html`<li><svg viewBox="0 0 10 10" width="12" height="12" focusable="false"><rect class="bar ${s.tone}" width="10" height="10"></rect></svg>${s.label}</li>`)}</ul>`;
  const desc = rows
    .map(
      (row) => `${row.label} (${row.hint}): ${segments.map((s) => `${s.label} ${row.values[s.key] ?? 0}`).join(', ')}`,
    )
    .join('; ');
  return html`${legend}${frame(
    id,
    axisY + 36,
    title,
    desc,
    html`${xAxis(ticksInt, scale, axisY, top, (t) => formatNumber(t, lang))}<text class="axis-title" x="${(left + right) / 2}" y="${axisY + 32}" text-anchor="middle">${unitWord}</text>${rows.map(
      (row, i) => {
        const y = top + i * rowH + 4;
        let x = left;
        const parts: Html[] = [];
        for (const s of segments) {
          const n = row.values[s.key] ?? 0;
          if (n <= 0) continue;
          const w = (n / hi) * (right - left);
          parts.push(
            html`<rect class="bar ${s.tone}" x="${r(x)}" y="${y}" width="${r(w)}" height="18"><title>${row.hint} — ${s.label}: ${n}</title></rect>${w >= 16 ? html`<text class="value inverse" x="${r(x + w / 2)}" y="${y + 13}" text-anchor="middle">${n}</text>` : ''}`,
          );
          x += w;
        }
        return html`<text class="label" x="${left - 8}" y="${y + 13}" text-anchor="end">${row.label}</text>${parts}`;
      },
    )}`,
  )}`;
}

/** A target in short: "≥ 0,7", "≤ 80", "10–20". */
export const targetText = (target: IndicatorTarget, lang: Locale): string => {
  switch (target.kind) {
    case 'at_least':
      return `≥ ${formatNumber(target.value, lang)}`;
    case 'at_most':
      return `≤ ${formatNumber(target.value, lang)}`;
    case 'between':
      return `${formatNumber(target.min, lang)}–${formatNumber(target.max, lang)}`;
  }
};

export interface IndicatorChartInput {
  readonly title: string;
  readonly measure: string;
  readonly target: IndicatorTarget;
  readonly value: number | null;
  readonly met: boolean | null;
  readonly values: readonly { unitName: string; value: number }[];
}

/**
 * One indicator against its target: the aggregate as a bar (green when the target is met, red
 * when not), the target as a marker line (or a band for a range), each unit's value as a dot
 * on a second row, and a numeric axis in the indicator's measure.
 */
export function indicatorChart(ind: IndicatorChartInput, lang: Locale): Html {
  const id = nextId('ind');
  const t =
    lang === 'vi'
      ? {
          aggregate: 'Tổng hợp',
          units: 'Từng đơn vị',
          target: 'Chỉ tiêu',
          none: 'Chưa có số liệu',
          met: 'đạt',
          notMet: 'chưa đạt',
        }
      : {
          aggregate: 'Aggregate',
          units: 'Each unit',
          target: 'Target',
          none: 'No data yet',
          met: 'met',
          notMet: 'not met',
        };
  const targets = ind.target.kind === 'between' ? [ind.target.min, ind.target.max] : [ind.target.value];
  const all = [0, ...targets, ...(ind.value === null ? [] : [ind.value]), ...ind.values.map((v) => v.value)];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const ticks = niceTicks(lo, hi + (hi - lo) * 0.08, 5);
  const left = 88;
  const right = W - 14;
  const d0 = ticks[0]!;
  const d1 = ticks.at(-1)!;
  const scale = (v: number): number => left + ((v - d0) / (d1 - d0 || 1)) * (right - left);
  const barY = 30;
  const dotY = 76;
  const axisY = 96;
  const zero = scale(Math.max(d0, Math.min(0, d1)));
  const status = ind.met === null ? t.none : ind.met ? t.met : t.notMet;
  const desc = `${t.aggregate}: ${ind.value === null ? t.none : `${formatNumber(ind.value, lang)} ${ind.measure}`}; ${t.target} ${targetText(ind.target, lang)} ${ind.measure} (${status}). ${t.units}: ${ind.values.map((v) => `${v.unitName} ${formatNumber(v.value, lang)}`).join(', ') || '—'}.`;
  const targetMark =
    ind.target.kind === 'between'
      ? html`<rect class="target-band" x="${r(scale(ind.target.min))}" y="${barY - 10}" width="${r(Math.max(2, scale(ind.target.max) - scale(ind.target.min)))}" height="${dotY - barY + 20}"></rect>`
      : html`<line class="target" x1="${r(scale(ind.target.value))}" x2="${r(scale(ind.target.value))}" y1="${barY - 10}" y2="${dotY + 10}"></line>`;
  const targetX =
    ind.target.kind === 'between' ? (scale(ind.target.min) + scale(ind.target.max)) / 2 : scale(ind.target.value);
  const anchor = targetX > right - 50 ? 'end' : targetX < left + 50 ? 'start' : 'middle';
  const bar =
    ind.value === null
      ? html`<text class="value muted" x="${left + 6}" y="${barY + 15}">${t.none}</text>`
      : (() => {
          const x = scale(ind.value);
          const from = Math.min(x, zero);
          const width = Math.max(1.5, Math.abs(x - zero));
          const labelRight = x + 6 + 84 < right || x < zero;
          return html`<rect class="bar ${ind.met ? 'ok' : 'bad'}" x="${r(from)}" y="${barY}" width="${r(width)}" height="22"></rect><text class="${labelRight ? 'value' : 'value inverse'}" x="${r(labelRight ? Math.max(x, zero) + 6 : x - 6)}" y="${barY + 15}" text-anchor="${labelRight ? 'start' : 'end'}">${formatNumber(ind.value, lang)} (${status})</text>`;
        })();
  return frame(
    id,
    axisY + 34,
    `${ind.title} — ${t.target} ${targetText(ind.target, lang)} ${ind.measure}`,
    desc,
    html`${xAxis(ticks, scale, axisY, barY - 10, (v) => formatNumber(v, lang))}${targetMark}<text class="target-label" x="${r(targetX)}" y="${barY - 14}" text-anchor="${anchor}">${t.target} ${targetText(ind.target, lang)}</text><text class="label" x="${left - 8}" y="${barY + 15}" text-anchor="end">${t.aggregate}</text>${bar}<text class="label" x="${left - 8}" y="${dotY + 4}" text-anchor="end">${t.units}</text>${ind.values.map((v) => html`<circle class="dot" cx="${r(scale(v.value))}" cy="${dotY}" r="5"><title>${v.unitName}: ${formatNumber(v.value, lang)}</title></circle>`)}<text class="axis-title" x="${(left + right) / 2}" y="${axisY + 32}" text-anchor="middle">${ind.measure}</text>`,
  );
}

export interface TrendPoint {
  /** The month, as shown under its tick ("01"). */
  readonly label: string;
  /** The month in full, for the text alternative ("2027-01"). */
  readonly period: string;
  /** Null: no figure that month (not approved, or not in that month's template). */
  readonly value: number | null;
  /** The month's target; null when the indicator was not in that month's template. */
  readonly target: IndicatorTarget | null;
  readonly met: boolean | null;
}

/**
 * An indicator month by month against its target: the figures as a line with a dot per month
 * (filled green when the month met its target, red when not), the target of each month as a
 * dashed step (a band for a range), months without a figure left as gaps.
 */
export function trendChart(
  { title, measure, points }: { title: string; measure: string; points: readonly TrendPoint[] },
  lang: Locale,
): Html {
  const id = nextId('trend');
  const t =
    lang === 'vi'
      ? { target: 'Chỉ tiêu', none: 'không có số liệu', met: 'đạt', notMet: 'chưa đạt', month: 'Tháng' }
      : { target: 'Target', none: 'no figure', met: 'met', notMet: 'not met', month: 'Month' };
  const targetValues = points.flatMap((p) =>
    p.target === null ? [] : p.target.kind === 'between' ? [p.target.min, p.target.max] : [p.target.value],
  );
  const values = points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const all = [0, ...targetValues, ...values];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const ticks = niceTicks(lo, hi + (hi - lo) * 0.08, 5);
  const left = 52;
  const right = W - 10;
  const top = 12;
  const bottom = 150;
  const d0 = ticks[0]!;
  const d1 = ticks.at(-1)!;
  const y = (v: number): number => bottom - ((v - d0) / (d1 - d0 || 1)) * (bottom - top);
  const step = (right - left) / Math.max(1, points.length);
  const x = (i: number): number => left + step * (i + 0.5);
  const segments: string[][] = [];
  let open: string[] | null = null;
  points.forEach((p, i) => {
    if (p.value === null) {
      open = null;
      return;
    }
    if (!open) segments.push((open = []));
    open.push(`${r(x(i))},${r(y(p.value))}`);
  });
  const desc = points
    .map(
      (p) =>
        `${p.period}: ${p.value === null ? t.none : `${formatNumber(p.value, lang)} ${measure}`}${p.target ? ` (${t.target} ${targetText(p.target, lang)}${p.met === null ? '' : `, ${p.met ? t.met : t.notMet}`})` : ''}`,
    )
    .join('; ');
  return frame(
    id,
    bottom + 40,
    title,
    desc,
    html`<g class="axis">${ticks.map((v) => html`<line class="grid" x1="${left}" x2="${right}" y1="${r(y(v))}" y2="${r(y(v))}"></line><text x="${left - 6}" y="${r(y(v)) + 4}" text-anchor="end">${formatNumber(v, lang)}</text>`)}<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"></line>${points.map((p, i) => html`<text x="${r(x(i))}" y="${bottom + 16}" text-anchor="middle">${p.label}</text>`)}</g>${points.map(
      (p, i) => {
        if (!p.target) return '';
        const x0 = r(x(i) - step / 2);
        return p.target.kind === 'between'
          ? html`<rect class="target-band" x="${x0}" y="${r(y(p.target.max))}" width="${r(step)}" height="${r(Math.max(2, y(p.target.min) - y(p.target.max)))}"></rect>`
          : html`<line class="target" x1="${x0}" x2="${r(x0 + step)}" y1="${r(y(p.target.value))}" y2="${r(y(p.target.value))}"></line>`;
      },
    )}${segments.map((s) => html`<polyline class="trend" points="${s.join(' ')}"></polyline>`)}${points.map((p, i) =>
      p.value === null
        ? ''
        : html`<circle class="dot ${p.met === null ? '' : p.met ? 'ok' : 'bad'}" cx="${r(x(i))}" cy="${r(y(p.value))}" r="4.5"><title>${p.period}: ${formatNumber(p.value, lang)}</title></circle>`,
    )}<text class="axis-title" x="${(left + right) / 2}" y="${bottom + 34}" text-anchor="middle">${t.month} · ${measure}</text>`,
  );
}

export interface TimelinessCell {
  readonly label: string;
  readonly period: string;
  readonly tone: 'ok' | 'warn' | 'bad' | 'muted' | 'none';
  /** What the cell means, in words ("đúng hạn"). */
  readonly text: string;
}

/** A unit's timeliness month by month: one square per month, coloured by how it met its obligation. */
export function timelinessChart({ title, cells }: { title: string; cells: readonly TimelinessCell[] }): Html {
  const id = nextId('timely');
  const left = 8;
  const size = Math.min(26, (W - 2 * left) / Math.max(1, cells.length) - 4);
  const gap = 4;
  return frame(
    id,
    size + 28,
    title,
    cells.map((c) => `${c.period}: ${c.text}`).join('; '),
    html`${cells.map((c, i) => {
      const x = left + i * (size + gap);
      return html`<rect class="bar ${c.tone === 'none' ? 'muted' : c.tone}${c.tone === 'none' ? ' empty' : ''}" x="${r(x)}" y="4" width="${r(size)}" height="${r(size)}" rx="3"><title>${c.period}: ${c.text}</title></rect><text class="axis-tick" x="${r(x + size / 2)}" y="${r(size + 20)}" text-anchor="middle">${c.label}</text>`;
    })}`,
  );
}
