import { packageBuild } from '../../tools/config/tsup.base';

// The library face (src/index.ts), the CLI program (src/cli.ts, started by bin/bregman.js), the bench's worker task
// (src/bench-task.ts, run by the runtime's WorkerPool), the job queue's sandboxed processor
// (src/queue/queue-processor.ts, run by `bregman worker` in a child process per job) and the data-parallel replica
// of `bregman train --data-parallel N` (src/tasks/retrieval/train-replica.ts, loaded in each worker), the compute
// thread of `bregman serve` (src/serve/serve-worker.ts). ESM only: the app's report
// renderer depends on vega 6, which is ESM with top-level await and cannot be require()d, so a CJS build would only
// fail at load time.
export default packageBuild({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'bench-task': 'src/bench-task.ts',
    'queue-processor': 'src/queue/queue-processor.ts',
    'train-replica': 'src/tasks/retrieval/train-replica.ts',
    'serve-worker': 'src/serve/serve-worker.ts',
  },
  format: ['esm'],
});
