import { packageBuild } from '../../tools/config/tsup.base';

// The k-NN worker task is its own entry: runtime's `WorkerPool` imports it in each worker.
export default packageBuild({ entry: ['src/index.ts', 'src/exact-knn-task.ts'] });
