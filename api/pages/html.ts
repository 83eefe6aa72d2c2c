/** A tiny safe HTML builder: every interpolated value is escaped unless it is already `Html`. */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

const render = (v: Value): string => {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
};

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

export interface PageOptions {
  readonly title: string;
  readonly lang: 'vi' | 'en';
  readonly body: Html;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1a1a1a;background:#fafafa;line-height:1.5}
main{max-width:860px;margin:0 auto;padding:16px}
h1{font-size:1.4rem;margin:.2em 0}h2{font-size:1.15rem;margin-top:1.6em;border-bottom:2px solid #b71c1c;padding-bottom:4px}
fieldset{border:1px solid #ddd;border-radius:6px;margin:12px 0;padding:10px 12px;background:#fff}
legend{font-weight:600;padding:0 4px}
label{display:block;margin:6px 0 2px;font-weight:500}
input,select,textarea{font:inherit;width:100%;box-sizing:border-box;padding:8px;border:1px solid #bbb;border-radius:4px}
textarea{min-height:4.5em}
button{font:inherit;padding:10px 18px;border-radius:4px;border:1px solid #b71c1c;background:#b71c1c;color:#fff;margin:6px 6px 6px 0;cursor:pointer}
button.secondary{background:#fff;color:#b71c1c}
:focus-visible{outline:3px solid #1565c0;outline-offset:2px}
.meta{color:#555}.error{background:#fdecea;border:1px solid #f5c2c0;padding:10px;border-radius:6px}
.ok{background:#e8f5e9;border:1px solid #b7dfb9;padding:10px;border-radius:6px}
.hint{color:#555;font-size:.9em}
`;

export function page({ title, lang, body }: PageOptions): string {
  return `<!doctype html>${html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${new Html(STYLE)}</style></head><body><main>${body}</main></body></html>`.value}`;
}
