import { packageBuild } from '../../tools/config/tsup.base';

// The library face (src/index.ts), the CLI program (src/cli.ts, started by bin/bregman.js) and the bench's worker
// task (src/bench-task.ts, run by the runtime's WorkerPool).
export default packageBuild({ entry: ['src/index.ts', 'src/cli.ts', 'src/bench-task.ts'] });
