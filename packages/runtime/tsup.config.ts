import { packageBuild } from '../../tools/config/tsup.base';

// The worker program is its own entry: `WorkerPool` starts it in each worker thread.
export default packageBuild({ entry: ['src/index.ts', 'src/worker-entry.ts'] });
