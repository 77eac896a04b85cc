import { defineConfig, mergeConfig } from 'vitest/config';
import { packageTests } from '../../tools/config/vitest.base';

// Two projects in one `vitest run`: every test as usual (native BLAS kernels on when the addon is built), and the
// native kernel tests again with BREGMAN_NATIVE=0, where the same cases run on this package's wasm kernels (each case
// asserts which path ran, so both runs can fail). The second project spreads the shared config instead of
// `extends: true`, which would append its `include` to the shared one instead of replacing it.
const shared = packageTests({ tensors: true });

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        { extends: true, test: { name: 'runtime' } },
        {
          ...shared,
          test: {
            ...shared.test,
            name: 'runtime BREGMAN_NATIVE=0',
            include: ['src/native-kernels/**/*.test.ts'],
            env: { BREGMAN_NATIVE: '0' },
          },
        },
      ],
    },
  }),
);
