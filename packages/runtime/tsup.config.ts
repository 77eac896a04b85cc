import { packageBuild } from '../../tools/config/tsup.base';

// The worker program and the data-parallel task are their own entries: `WorkerPool` loads them in worker threads.
export default packageBuild({ entry: ['src/index.ts', 'src/worker-entry.ts', 'src/data-parallel-task.ts'] });
