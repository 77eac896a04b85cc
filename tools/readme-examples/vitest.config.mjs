import { defineConfig } from 'vitest/config';

// One fork, one block at a time: the blocks start worker pools of their own (two cores).
export default defineConfig({
  test: {
    include: ['*.test.mjs'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
