/**
 * Finds the Temporal CLI (which runs the dev server): TEMPORAL_CLI, then `temporal` on PATH,
 * then the project cache `.tools/bin`, and otherwise builds it there once with Go.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './lib/project';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

const works = (file: string): boolean => spawnSync(file, ['--version'], { stdio: 'ignore' }).status === 0;

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file) && works(file)) return file;
  }
  return undefined;
}

export function ensureTemporalCli({ log = console.log } = {}): string {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (works(fromEnv)) return fromEnv;
    throw new Error(
      `TEMPORAL_CLI=${fromEnv} does not run (\`${fromEnv} --version\` failed). Fix the path or unset it.`,
    );
  }
  const found = onPath('temporal');
  if (found) return found;
  const binDir = path.join(projectRoot(), '.tools', 'bin');
  const cached = path.join(binDir, 'temporal');
  if (fs.existsSync(cached) && works(cached)) return cached;
  const go = onPath('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new Error(
      'The Temporal CLI is needed to run the Temporal dev server. Provide it in one of three ways:\n' +
        '  1. put `temporal` on your PATH (https://docs.temporal.io/cli), or\n' +
        '  2. set TEMPORAL_CLI=/path/to/temporal, or\n' +
        `  3. install Go >= 1.25 and run \`npm run temporal:install\` (builds ${TEMPORAL_CLI_MODULE} into .tools/bin).`,
    );
  }
  log(
    `Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into .tools/bin — a few minutes the first time, cached afterwards…`,
  );
  fs.mkdirSync(binDir, { recursive: true });
  execFileSync(go, ['install', TEMPORAL_CLI_MODULE], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
  });
  if (!works(cached)) throw new Error(`go install finished but ${cached} does not run.`);
  return cached;
}

if (require.main === module) {
  try {
    console.log(ensureTemporalCli());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
