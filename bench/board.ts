/**
 * `npm run bench:board [-- --units 10000 --loads 5]`
 *
 * The administrator's status board (/console/cycles/:campaign/:period) of an N-unit cycle,
 * loaded in Chromium after signing in with a personal token: time to the load event, for the
 * first page, the last page, a state filter and a search. The floor, measured in the same run
 * in the same browser: the very same HTML (the board's first page, fetched once) served by a
 * bare Fastify route with the same stylesheet and script, i.e. what the browser alone costs.
 *
 * The cycle's rows are seeded straight into PostgreSQL (no workflows): tasks in every collecting
 * state, reports for 40 % of them, reminder emails and escalation events.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import type { Page } from 'playwright-core';
import type { TaskState } from '../domain/states';
import { freePort, projectRoot } from '../scripts/lib/project';
import { openBrowser, signIn } from '../test/support/browser';
import { positiveIntegers, progress, runBench, withBenchEnv } from './support/env';
import { fmtInt, fmtMs, fmtRatio, median, printTable, verdict } from './support/measure';
import { seedCycle, variedAnswers, type TaskSeed } from './support/seed';

const GOAL_MS = 1000;
const PAGE_SIZE = 50; // the board's page size (api/console/routes/admin.routes.ts)

/** Unit `i`'s task: 40 % submitted (one in ten of them late), the rest open in every state, with reminders and escalations. */
function taskOf(i: number, template: Parameters<typeof variedAnswers>[0]): TaskSeed {
  const slot = i % 10;
  if (slot < 4)
    return { state: 'submitted', answers: variedAnswers(template, i), late: i % 40 === 3, remindersSent: i % 2 };
  const open: [TaskState, 0 | 1 | 2][] = [
    ['dispatched', 0],
    ['dispatched', 0],
    ['draft', 0],
    ['overdue', 0],
    ['escalated', 1],
    ['escalated', 2],
  ];
  const [state, escalationLevel] = open[slot - 4]!;
  return { state, escalationLevel, remindersSent: i % 4 };
}

interface Load {
  /** Navigation start → end of the load event, as the page's Navigation Timing entry gives it. */
  readonly loadMs: number;
  /** Request sent → first byte of the answer: the server's time. */
  readonly serverMs: number;
  readonly htmlBytes: number;
  readonly rows: number;
}

/** Loads `url` and reads its Navigation Timing entry (the callback runs in the page, where the entry type exists). */
async function load(page: Page, url: string): Promise<Load> {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || response.status() !== 200) throw new Error(`${url} answered ${response?.status() ?? 'nothing'}`);
  const entry = JSON.parse(
    await page.evaluate(() =>
      JSON.stringify(performance.getEntries().find((e) => (e.entryType as string) === 'navigation')),
    ),
  ) as { loadEventEnd: number; requestStart: number; responseStart: number; decodedBodySize: number };
  return {
    loadMs: entry.loadEventEnd,
    serverMs: entry.responseStart - entry.requestStart,
    htmlBytes: entry.decodedBodySize,
    rows: await page.locator('#board tbody tr').count(),
  };
}

/** The floor: one fixed HTML page and the console's assets, from a bare Fastify. */
async function startStaticServer(html: string): Promise<{ url: string; stop(): Promise<void> }> {
  const assets = path.join(projectRoot(), 'api', 'public');
  const app = Fastify({ logger: false });
  app.get('/floor', async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const file = path.basename(request.params.file);
    const type = file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    return reply.type(type).send(await readFile(path.join(assets, file)));
  });
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  return { url: `http://127.0.0.1:${port}/floor`, stop: () => app.close() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { units: { type: 'string', default: '10000' }, loads: { type: 'string', default: '5' } },
  });
  const n = positiveIntegers('units', values.units)[0]!;
  const loads = positiveIntegers('loads', values.loads)[0]!;

  await withBenchEnv('board', async (env) => {
    const stack = await env.startStack();
    progress(`seeding a cycle of ${fmtInt(n)} units`);
    const cycle = await seedCycle(stack.orm, stack.config.DATABASE_URL, n, 'collecting', taskOf);
    await stack.orm.em.fork().execute('ANALYZE');
    const admin = await stack.token('admin');
    const browser = await openBrowser();
    env.onCleanup(() => browser.close());
    await signIn(browser.page, stack.baseUrl, admin);

    const board = `${stack.baseUrl}/console/cycles/${encodeURIComponent(cycle.campaign)}/${encodeURIComponent(cycle.period)}`;
    const views: [string, string][] = [
      ['board, page 1', board],
      [`board, last page (${Math.ceil(n / PAGE_SIZE)})`, `${board}?page=${Math.ceil(n / PAGE_SIZE)}`],
      ['board, filter state = overdue', `${board}?state=overdue`],
      ['board, search one unit code', `${board}?q=${encodeURIComponent(cycle.units[Math.floor(n / 2)]!.code)}`],
    ];
    const firstPage = await browser.context.request.get(board);
    if (firstPage.status() !== 200)
      throw new Error(`the board answered ${firstPage.status()} to the signed-in session`);
    const floorServer = await startStaticServer(await firstPage.text());
    env.onCleanup(() => floorServer.stop());

    // The floor has a tab of its own, so no navigation in either tab changes origin.
    const floorTab = await browser.context.newPage();
    const targets: [string, string, Page][] = [
      ['floor: the same HTML and assets from a bare route', floorServer.url, floorTab],
      ...views.map(([label, url]): [string, string, Page] => [label, url, browser.page]),
    ];
    progress(`${loads} loads of each of ${targets.length} pages (one warm-up load each first)`);
    for (const [, url, tab] of targets) await load(tab, url);
    const measured = new Map<string, Load[]>(targets.map(([label]) => [label, []]));
    for (let k = 0; k < loads; k += 1)
      for (const [label, url, tab] of targets) measured.get(label)!.push(await load(tab, url));

    const floorMs = median(measured.get(targets[0]![0])!.map((l) => l.loadMs));
    printTable(
      `Status board of a ${fmtInt(n)}-unit cycle in Chromium: navigation start → load event (goal < ${GOAL_MS} ms)`,
      [
        'page',
        'loads (ms)',
        'median ms',
        'ratio',
        'server (request → first byte) median ms',
        'HTML KiB',
        'rows shown',
        'goal',
      ],
      targets.map(([label], i) => {
        const ls = measured.get(label)!;
        const ms = median(ls.map((l) => l.loadMs));
        return [
          label,
          ls.map((l) => fmtMs(l.loadMs)).join(', '),
          fmtMs(ms),
          i === 0 ? '1.00×' : fmtRatio(ms, floorMs),
          fmtMs(median(ls.map((l) => l.serverMs))),
          (ls[0]!.htmlBytes / 1024).toFixed(0),
          fmtInt(ls[0]!.rows),
          i === 0 ? '' : verdict(ms < GOAL_MS),
        ];
      }),
      [
        'headless Chromium (Debian package) through playwright-core, signed in with a personal token; the first load of each page is a warm-up and not counted; the stylesheet and console.js are cached after it, as for an administrator who keeps the console open',
        `the board shows ${PAGE_SIZE} units per page (the filter form and pager reach the others)`,
      ],
    );
  });
}

runBench(main);
