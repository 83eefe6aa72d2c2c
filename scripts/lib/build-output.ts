/**
 * The second half of `npm run build`, after `tsc` has written `dist/` in place: copies the pages'
 * static files (api/public) next to the compiled API, and removes what the sources no longer
 * produce. Nothing a current source produces is ever deleted, so a process running from `dist/`
 * (`npm start`'s worker and API) keeps every file it loads or serves while any script rebuilds.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Where the pages' static files are, in the sources and in the build. */
export const PUBLIC_DIR = path.join('api', 'public');

/** What tsc writes for a source `x.ts`: `x.js`, its map and, with declarations, `x.d.ts` and its map. */
const COMPILED = /(\.d)?\.(js|ts)(\.map)?$/;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** Removes the directories under `dir` (not `dir` itself) that are empty. */
function removeEmptyDirs(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = path.join(dir, entry.name);
    removeEmptyDirs(sub);
    if (fs.readdirSync(sub).length === 0) fs.rmdirSync(sub);
  }
}

/**
 * Brings `<root>/<distDir>` in line with the sources under `root`: api/public copied over (files
 * rewritten in place, files gone from the sources removed), and every compiled file whose `.ts`
 * source is gone removed. Answers the files it removed, relative to the build.
 */
export function finishBuild(root: string, distDir = 'dist'): string[] {
  const dist = path.join(root, distDir);
  const removed: string[] = [];
  const remove = (rel: string): void => {
    fs.rmSync(path.join(dist, rel));
    removed.push(rel);
  };

  const sources = new Set(filesUnder(path.join(root, PUBLIC_DIR)));
  for (const rel of sources) {
    fs.mkdirSync(path.dirname(path.join(dist, PUBLIC_DIR, rel)), { recursive: true });
    fs.copyFileSync(path.join(root, PUBLIC_DIR, rel), path.join(dist, PUBLIC_DIR, rel));
  }
  for (const rel of filesUnder(path.join(dist, PUBLIC_DIR))) if (!sources.has(rel)) remove(path.join(PUBLIC_DIR, rel));

  for (const rel of filesUnder(dist)) {
    if (rel.startsWith(PUBLIC_DIR + path.sep) || !COMPILED.test(rel)) continue;
    if (!fs.existsSync(path.join(root, rel.replace(COMPILED, '.ts')))) remove(rel);
  }
  if (fs.existsSync(dist)) removeEmptyDirs(dist);
  return removed;
}
