import { packageBuild } from '../../tools/config/tsup.base';

// One entry per subpath export, plus the k-NN worker task (runtime's `WorkerPool` imports it by path in each
// worker). The main entry must stay free of Node built-ins and of usearch: `src/entry-points.test.ts` checks the
// built files.
export default packageBuild({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    ann: 'src/ann/index.ts',
    'exact-knn-task': 'src/node/exact-knn-task.ts',
  },
});
