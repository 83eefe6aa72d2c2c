/** A worker thread that writes one document (`workerData`: its spec) and posts the .docx bytes back. */
import { parentPort, workerData } from 'node:worker_threads';
import { writeDocx } from './docx-writer';
import type { OfficialDocumentSpec } from './spec';

writeDocx(workerData as OfficialDocumentSpec).then(
  (bytes) => {
    const copy = new Uint8Array(bytes);
    parentPort!.postMessage({ ok: true, bytes: copy }, [copy.buffer]);
  },
  (error: unknown) => parentPort!.postMessage({ ok: false, error: String(error) }),
);
