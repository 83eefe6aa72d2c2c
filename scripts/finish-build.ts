/** `npm run build`, after `tsc`: see lib/build-output.ts. */
import { finishBuild } from './lib/build-output';
import { projectRoot } from './lib/project';

const removed = finishBuild(projectRoot());
if (removed.length > 0) console.log(`Removed from dist/ what no source produces any more: ${removed.join(', ')}`);
