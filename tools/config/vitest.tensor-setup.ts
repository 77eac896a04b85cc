import { assertGradientsRegistered, ensureGradientsRegistered, initBackend } from '@empirical-bregman/runtime';
import { beforeAll } from 'vitest';

// Gradients first, while the test file is not yet imported: a file may build a divergence or a loss at module level,
// and those call convex-net's ensureGradients, whose fallback (tfjs-core's gradient module, bundled into convex-net's
// dist) cannot load from the sources the tests run on.
await ensureGradientsRegistered();

// Every test file that touches tensors runs on a backend chosen by `runtime` (BREGMAN_BACKEND overrides), with
// every gradient the project needs registered: a missing gradient fails the whole file here, not deep in a test.
beforeAll(async () => {
  await initBackend({ quiet: true });
  assertGradientsRegistered();
});
