import { packageBuild } from '../../tools/config/tsup.base';

// The library face (src/index.ts), the CLI program (src/cli.ts, started by bin/bregman.js) and the bench's worker
// task (src/bench-task.ts, run by the runtime's WorkerPool). ESM only: the app's report renderer depends on vega 6,
// which is ESM with top-level await and cannot be require()d, so a CJS build would only fail at load time.
export default packageBuild({ entry: ['src/index.ts', 'src/cli.ts', 'src/bench-task.ts'], format: ['esm'] });
