/**
 * A tiny safe HTML builder: every interpolated value is escaped unless it is already `Html`.
 *
 * Why server-rendered pages and no front-end framework: the pages are small (a form, tables,
 * a few charts), they must work on cheap phones over slow links and with JavaScript off, and
 * a strict Content Security Policy (`script-src 'self'`, no inline script or style) is easy to
 * keep when the server writes the markup and the only scripts are two small static files that
 * merely enhance it. There is no build step, no bundle to ship and nothing to keep in sync with
 * the JSON API.
 */
import { withoutBidiControls } from '../../domain/display-text';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes markup, and drops bidirectional controls (they would reorder the page around the text). */
export const escapeHtml = (s: string): string =>
  withoutBidiControls(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export type Value = Html | string | number | boolean | null | undefined | readonly Value[];

const render = (v: Value): string => {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
};

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

/** Joins fragments (already safe or escaped here). */
export const join = (parts: readonly Value[], separator = ''): Html =>
  new Html(parts.map(render).join(escapeHtml(separator)));

/**
 * The Content Security Policy of every answer (set app-wide by helmet in `api/app.ts`): nothing
 * inline, nothing from elsewhere.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
} as const;

export interface PageOptions {
  readonly title: string;
  readonly lang: 'vi' | 'en';
  readonly body: Html;
  /** Above `<main>`: the console's bar, or the form's language switch. */
  readonly header?: Html;
  /** `narrow` for the unit head's form and small pages; `wide` for the console. */
  readonly width?: 'narrow' | 'wide';
  /** Static scripts under /assets (deferred; they only enhance pages that work without them). */
  readonly scripts?: readonly string[];
}

const SKIP = { vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to main content' } as const;

export function page({ title, lang, body, header, width = 'narrow', scripts = [] }: PageOptions): string {
  return `<!doctype html>${html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/app.css">${scripts.map((s) => html`<script src="/assets/${s}" defer></script>`)}</head><body class="${width}"><a class="skip" href="#main">${SKIP[lang]}</a>${header ?? ''}<main id="main" tabindex="-1">${body}</main></body></html>`.value}`;
}
