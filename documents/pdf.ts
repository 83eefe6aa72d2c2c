/**
 * PDF from DOCX through LibreOffice headless (`soffice --convert-to pdf`), the renderer Debian
 * packages (libreoffice-writer-nogui, with fonts-liberation2 / fonts-croscore metric-compatible
 * with Times New Roman; LibreOffice embeds the fonts it uses). Each conversion runs in a directory
 * of its own with a fresh user profile (LibreOffice refuses a second instance on one profile and a
 * profile can be left broken by a killed run), under a timeout that kills its process group, and
 * at most `concurrency` at once (each instance takes a core and ≈ 200 MB).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/opt/libreoffice/program/soffice'];

/** The soffice binary: `SOFFICE_PATH` when set (empty: none), else the first of the usual places; null when absent. */
export function sofficePath(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.SOFFICE_PATH;
  const candidates = configured !== undefined ? (configured ? [configured] : []) : CANDIDATES;
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return null;
}

/** No renderer on this machine (the caller answers 503, the DOCX still works). */
export class RendererMissingError extends Error {
  constructor() {
    super('soffice (LibreOffice) is not installed');
    this.name = 'RendererMissingError';
  }
}

export interface PdfOptions {
  readonly timeoutMs?: number;
  readonly soffice?: string | null;
}

let running = 0;
const waiting: (() => void)[] = [];
/** Conversions at once (`PDF_CONCURRENCY`, 1 by default, at most 2 make sense on a small server). */
const concurrency = (): number => Math.max(1, Math.min(4, Number(process.env.PDF_CONCURRENCY ?? 1) || 1));

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= concurrency()) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** Converts a DOCX to PDF; throws `RendererMissingError` when soffice is absent. */
export function docxToPdf(docx: Buffer, options: PdfOptions = {}): Promise<Buffer> {
  const soffice = options.soffice === undefined ? sofficePath() : options.soffice;
  if (!soffice) return Promise.reject(new RendererMissingError());
  const timeoutMs = options.timeoutMs ?? Number(process.env.PDF_TIMEOUT_MS ?? 600_000);
  return slot(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baocao-pdf-'));
    try {
      const input = path.join(dir, 'document.docx');
      await writeFile(input, docx);
      await run(
        soffice,
        [
          `-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`,
          '--headless',
          '--norestore',
          '--nologo',
          '--nolockcheck',
          '--convert-to',
          'pdf:writer_pdf_Export',
          '--outdir',
          dir,
          input,
        ],
        timeoutMs,
      );
      return await readFile(path.join(dir, 'document.pdf')).catch(() => {
        throw new Error('soffice wrote no PDF');
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, HOME: tmpdir(), SAL_USE_VCLPLUGIN: 'svp' },
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      reject(new Error(`soffice took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`soffice exited with ${code ?? signal}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}
