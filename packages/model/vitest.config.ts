import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../tools/config/vitest.base';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The shared config maps each workspace package to its `src/index.ts`; this package also imports search's `./ann`
// subpath (lazily, from `./node`), which that prefix alias would turn into `…/src/index.ts/ann`.
export default mergeConfig(packageTests({ tensors: true }), {
  resolve: {
    // An array: vite's mergeConfig puts an array's entries before the base ones (objects would merge behind them).
    alias: [
      { find: '@empirical-bregman/search/ann', replacement: resolve(packages, 'search/src/ann/index.ts') },
      // The README example imports this package's own ./node subpath.
      { find: '@empirical-bregman/model/node', replacement: resolve(packages, 'model/src/node/index.ts') },
    ],
  },
});
