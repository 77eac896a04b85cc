import { packageBuild } from '../../tools/config/tsup.base';

// One entry per subpath export (the main entry must stay free of Node built-ins: it runs in browsers, and
// `tools/checks/check-browser-bundles.mjs` bundles it for one), plus the worker program and the data-parallel task,
// which `WorkerPool` loads by path in worker threads.
export default packageBuild({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    'worker-entry': 'src/worker-entry.ts',
    'data-parallel-task': 'src/data-parallel-task.ts',
  },
});
