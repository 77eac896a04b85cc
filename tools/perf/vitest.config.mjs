import { defineConfig } from 'vitest/config';

// The real-PyTorch test imports torch (seconds on a loaded machine); the rest use fake peers and are fast.
export default defineConfig({ test: { include: ['*.test.mjs'], testTimeout: 120_000 } });
