/**
 * Writing a document off the event loop: the DOCX of a 10,000-unit cycle takes seconds of CPU,
 * so it is written in a worker thread (at most `DOCUMENT_THREADS`, 2 by default, at once) while
 * the API keeps answering. Nothing here runs in a workflow: documents are made on request.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OfficialDocumentSpec } from './spec';

const threads = (): number => Math.max(1, Math.min(4, Number(process.env.DOCUMENT_THREADS ?? 2) || 2));
let running = 0;
const waiting: (() => void)[] = [];

/**
 * The worker's entry: the compiled `docx-worker.js` next to this file; from TypeScript sources
 * (tests) the same file is loaded through the TypeScript compiler's transpiler.
 */
function startWorker(spec: OfficialDocumentSpec): Worker {
  const compiled = path.join(__dirname, 'docx-worker.js');
  if (existsSync(compiled)) return new Worker(compiled, { workerData: spec });
  const source = path.join(__dirname, 'docx-worker.ts');
  const boot = `
    const fs = require('node:fs');
    const ts = require('typescript');
    require.extensions['.ts'] = (module, filename) => {
      const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: filename,
      });
      module._compile(out.outputText, filename);
    };
    require(${JSON.stringify(source)});
  `;
  return new Worker(boot, { eval: true, workerData: spec });
}

/** The .docx bytes of `spec`, written in a worker thread. */
export async function renderDocx(spec: OfficialDocumentSpec): Promise<Buffer> {
  if (running >= threads()) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const worker = startWorker(spec);
      let done = false;
      worker.once('message', (message: { ok: true; bytes: Uint8Array } | { ok: false; error: string }) => {
        done = true;
        if (message.ok) resolve(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
        else reject(new Error(`writing the document failed: ${message.error}`));
      });
      worker.once('error', (error) => {
        done = true;
        reject(error);
      });
      worker.once('exit', (code) => {
        if (!done) reject(new Error(`the document thread exited with ${code}`));
      });
    });
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}
