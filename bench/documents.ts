/**
 * `npm run bench:documents [-- --units 10000]`
 *
 * The official monthly report of a 10,000-unit cycle (Decree 30 layout): reading the version and
 * building the document (spec), writing the DOCX (worker thread) while the event loop's delay is
 * watched, converting to PDF (LibreOffice headless), and the whole download through the JSON API;
 * time and size of each, pages, the API process's peak RSS and the renderer's (soffice's process
 * tree, sampled from /proc).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { findCycle } from '../api/services/cycles.service';
import { documentSpec } from '../api/services/documents.service';
import { writeConsolidatedReport } from '../db/consolidated-report';
import { Cycle } from '../db/entities';
import { docxToPdf, sofficePath } from '../documents/pdf';
import { renderDocx } from '../documents/render';
import { positiveIntegers, progress, runBench, withBenchEnv } from './support/env';
import { fmtInt, fmtMiB, fmtMs, printTable, sampleRss, timed } from './support/measure';
import { seedCycle, variedAnswers } from './support/seed';

/** Resident memory of the renderer: the soffice processes descended from this one, read from /proc. */
function rendererRss(): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      if (/^(soffice|oosplash)/.test(comm)) rss.set(Number(entry), Number(fields[21]) * 4096);
    } catch {
      /* gone */
    }
  }
  let total = 0;
  for (const [pid, bytes] of rss)
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p))
      if (p === process.pid) {
        total += bytes;
        break;
      }
  return total;
}

function sampleRenderer(intervalMs = 100): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rendererRss())), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { units: { type: 'string', default: '10000' } } });
  const n = positiveIntegers('units', values.units)[0]!;
  if (!sofficePath())
    throw new Error('soffice (LibreOffice) is not installed: apt-get install libreoffice-writer-nogui');

  await withBenchEnv('documents', async (env) => {
    const stack = await env.startStack();
    progress(
      `seeding ${fmtInt(n)} units, their tasks and one report each (one unit in ten late, one in fifty missing)`,
    );
    const seeded = await seedCycle(stack.orm, stack.config.DATABASE_URL, n, 'review', (i, template) =>
      i % 50 === 49
        ? { state: 'not_submitted' }
        : { state: 'submitted', answers: variedAnswers(template, i), late: i % 10 === 9 },
    );
    await writeConsolidatedReport(stack.orm.em.fork(), seeded.cycleId, 1);
    await stack.orm.em.fork().nativeUpdate(Cycle, { id: seeded.cycleId }, { reviewVersion: 1 });
    const em = stack.orm.em.fork();
    const cycle = await findCycle(em, seeded.campaign, seeded.period);
    const rss = sampleRss();

    progress('reading the version and building the document');
    const spec = await timed(() =>
      documentSpec(stack.orm.em.fork(), cycle, { kind: 'monthly-report', format: 'docx' }, new Date()),
    );
    progress('writing the DOCX in a worker thread');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const docx = await timed(() => renderDocx(spec.value.spec));
    delay.disable();
    progress('converting to PDF with LibreOffice');
    const renderer = sampleRenderer();
    const pdf = await timed(() => docxToPdf(docx.value));
    const rendererPeak = renderer.stop();
    const file = path.join(tmpdir(), `bench-documents-${process.pid}.pdf`);
    writeFileSync(file, pdf.value);
    const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? '?';
    // Every unit is in the PDF (appendix IV lists each unit that reported, appendix III the missing ones).
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const absent = seeded.units.filter((u) => !text.includes(u.name)).length;

    progress('the same downloads through the JSON API');
    const token = await stack.token('admin', 'bench');
    const get = async (ext: string) =>
      timed(async () => {
        const res = await fetch(
          `${stack.baseUrl}/api/v1/cycles/${seeded.campaign}/${seeded.period}/documents/monthly-report.${ext}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        if (res.status !== 200) throw new Error(`GET .${ext} answered ${res.status}: ${await res.text()}`);
        return (await res.arrayBuffer()).byteLength;
      });
    const httpDocx = await get('docx');
    const httpPdf = await get('pdf');
    const memory = rss.stop();

    const rows = spec.value.spec.appendix?.reduce((k, b) => k + (b.kind === 'table' ? b.rows.length : 0), 0) ?? 0;
    printTable(
      `The monthly report of a ${fmtInt(n)}-unit cycle (${fmtInt(rows)} appendix table rows)`,
      ['step', 'ms', 'size MiB', 'notes'],
      [
        ['read the version (cold) and build the document', fmtMs(spec.ms), '', ''],
        [
          'write the DOCX (docx, worker thread)',
          fmtMs(docx.ms),
          fmtMiB(docx.value.length),
          `event loop meanwhile: max delay ${fmtMs(delay.max / 1e6)} ms, p99 ${fmtMs(delay.percentile(99) / 1e6)} ms`,
        ],
        [
          'convert to PDF (LibreOffice headless)',
          fmtMs(pdf.ms),
          fmtMiB(pdf.value.length),
          `${pages} pages; renderer peak RSS ${fmtMiB(rendererPeak)} MiB`,
        ],
        ['GET …/documents/monthly-report.docx (end to end, audited)', fmtMs(httpDocx.ms), fmtMiB(httpDocx.value), ''],
        ['GET …/documents/monthly-report.pdf (end to end, audited)', fmtMs(httpPdf.ms), fmtMiB(httpPdf.value), ''],
      ],
      [
        `units whose name is not in the PDF's text: ${fmtInt(absent)} of ${fmtInt(n)}`,
        `API process (reading, spec, worker thread, HTTP) peak RSS: ${fmtMiB(memory.peakBytes)} MiB (from ${fmtMiB(memory.startBytes)} MiB)`,
      ],
    );
  });
}

runBench(main);
