import { assertGradientsRegistered, initBackend } from '@empirical-bregman/runtime';
import { beforeAll } from 'vitest';

// Every test file that touches tensors runs on a backend chosen by `runtime` (BREGMAN_BACKEND overrides), with
// every gradient the project needs registered: a missing gradient fails the whole file here, not deep in a test.
beforeAll(async () => {
  await initBackend({ quiet: true });
  assertGradientsRegistered();
});
