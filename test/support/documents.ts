/**
 * Reading the official documents the way someone else's software would: a DOCX opened with JSZip
 * and parsed with @xmldom/xmldom (not the library that wrote it), a PDF through poppler's
 * `pdftotext` (text, and words with their boxes) and `pdftoppm` (page images).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DOMParser, type Document as XmlDocument, type Element } from '@xmldom/xmldom';
import JSZip from 'jszip';

const run = promisify(execFile);
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/documents');
export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export interface Docx {
  readonly parts: ReadonlyMap<string, string>;
  readonly document: XmlDocument;
  readonly styles: XmlDocument;
  /** Problems the XML parser reported, over every part. */
  readonly xmlProblems: readonly string[];
  /** Text of every paragraph of the body, in order (table cells included). */
  readonly paragraphs: readonly string[];
  readonly headers: ReadonlyMap<string, XmlDocument>;
}

export function parseXml(text: string, problems: string[], name: string): XmlDocument {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') problems.push(`${name}: ${message}`);
    },
  }).parseFromString(text, 'application/xml');
}

export const elements = (node: XmlDocument | Element, local: string): Element[] =>
  Array.from(node.getElementsByTagNameNS(W, local));
export const attr = (el: Element | undefined, local: string): string | null =>
  el ? el.getAttributeNS(W, local) || el.getAttribute(`w:${local}`) : null;

export const paragraphText = (p: Element): string =>
  elements(p, 'r')
    .map((r) =>
      Array.from(r.childNodes)
        .map((n) => {
          const el = n as Element;
          if (el.localName === 't') return el.textContent ?? '';
          if (el.localName === 'br') return '\n';
          if (el.localName === 'tab') return '\t';
          return '';
        })
        .join(''),
    )
    .join('');

export async function openDocx(bytes: Buffer): Promise<Docx> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = new Map<string, string>();
  for (const name of Object.keys(zip.files)) {
    if (name.endsWith('.xml') || name.endsWith('.rels')) parts.set(name, await zip.file(name)!.async('string'));
  }
  const problems: string[] = [];
  for (const [name, text] of parts) parseXml(text, problems, name);
  const document = parseXml(parts.get('word/document.xml') ?? '', problems, 'document');
  const styles = parseXml(parts.get('word/styles.xml') ?? '', problems, 'styles');
  const headers = new Map<string, XmlDocument>();
  const rels = parseXml(parts.get('word/_rels/document.xml.rels') ?? '', problems, 'rels');
  for (const rel of Array.from(rels.getElementsByTagName('Relationship'))) {
    const target = rel.getAttribute('Target') ?? '';
    if (/header\d*\.xml$/.test(target))
      headers.set(rel.getAttribute('Id')!, parseXml(parts.get(`word/${target}`) ?? '', problems, target));
  }
  return {
    parts,
    document,
    styles,
    xmlProblems: problems,
    paragraphs: elements(document, 'p').map(paragraphText),
    headers,
  };
}

export interface PdfWord {
  readonly page: number;
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
  readonly pageWidth: number;
  readonly pageHeight: number;
}

export interface Pdf {
  readonly pages: number;
  /** `pdftotext -layout`, pages split on form feeds. */
  readonly pageTexts: readonly string[];
  readonly text: string;
  /** Every word with its box (`pdftotext -bbox`). */
  readonly words: readonly PdfWord[];
}

export async function readPdf(bytes: Buffer): Promise<Pdf> {
  const dir = await mkdtemp(path.join(tmpdir(), 'baocao-pdf-test-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    await writeFile(file, bytes);
    const text = (await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 1 << 30 })).stdout;
    const bbox = (await run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { maxBuffer: 1 << 30 })).stdout;
    const problems: string[] = [];
    const html = parseXml(bbox.replace(/<!DOCTYPE[^>]*>/, ''), problems, 'bbox');
    const words: PdfWord[] = [];
    Array.from(html.getElementsByTagName('page')).forEach((page, i) => {
      const pageWidth = Number(page.getAttribute('width'));
      const pageHeight = Number(page.getAttribute('height'));
      for (const w of Array.from(page.getElementsByTagName('word')))
        words.push({
          page: i + 1,
          text: w.textContent ?? '',
          xMin: Number(w.getAttribute('xMin')),
          yMin: Number(w.getAttribute('yMin')),
          xMax: Number(w.getAttribute('xMax')),
          yMax: Number(w.getAttribute('yMax')),
          pageWidth,
          pageHeight,
        });
    });
    const pageTexts = text.split('\f').slice(0, -1);
    return { pages: pageTexts.length, pageTexts, text, words };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Page `page` of the PDF as a PNG under test-artifacts/documents/`name`.png; its bytes. */
export async function pagePng(bytes: Buffer, name: string, page = 1, dpi = 80): Promise<Buffer> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.pdf`);
  await writeFile(file, bytes);
  const prefix = path.join(ARTIFACTS, name);
  await run('pdftoppm', [
    '-png',
    '-r',
    String(dpi),
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    file,
    prefix,
  ]);
  return readFile(`${prefix}.png`);
}
