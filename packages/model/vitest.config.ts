import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../tools/config/vitest.base';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The shared config maps each workspace package to its `src/index.ts`; this package also imports search's `./ann`
// subpath (lazily, from `./node`), which that prefix alias would turn into `…/src/index.ts/ann`. Aliases given here
// come first in the merged list, so the subpath resolves to its own source.
export default mergeConfig(packageTests({ tensors: true }), {
  resolve: {
    alias: {
      '@empirical-bregman/search/ann': resolve(packages, 'search/src/ann/index.ts'),
      // The README example imports this package's own ./node subpath.
      '@empirical-bregman/model/node': resolve(packages, 'model/src/node/index.ts'),
    },
  },
});
