import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@empirical-bregman/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { exactKnn } from './exact-knn';
import { checkTieOrder, maxAffineTies } from './testing/max-affine-ties';

// Both backends whatever the test setup chose (`env: {}`: BREGMAN_BACKEND does not override the forced one here).
const chosen = tf.getBackend();
afterAll(async () => {
  if (chosen) await tf.setBackend(chosen);
});

describe('exactKnn: ties in D are broken by reference index on the Bregman fast path', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const querySlot of ['left', 'right'] as const) {
      it(`max-affine φ (exact zeros between points of one piece), ${backend}, query ${querySlot}`, async () => {
        await initBackend({ force: backend, quiet: true, env: {} });
        const n = 240;
        const { points, divergence, piece } = maxAffineTies({ n, dim: 8, pieces: 4, seed: `ties-${backend}` });
        const before = tf.memory().numTensors;
        // Ragged blocks: the zero-D candidates of one query arrive over several blocks and compactions.
        const nn = await exactKnn(divergence, points, points, {
          k: n - 1,
          querySlot,
          excludeSelf: true,
          queryBlockSize: 64,
          referenceBlockSize: 100,
        });
        expect(tf.memory().numTensors).toBe(before);
        const violations: string[] = [];
        for (let q = 0; q < n; q++) {
          const rows = [q * (n - 1), (q + 1) * (n - 1)] as const;
          const problem = checkTieOrder(q, piece, nn.indices.subarray(...rows), nn.distances.subarray(...rows));
          if (problem) violations.push(problem);
        }
        expect(violations.slice(0, 3)).toEqual([]);
        tf.dispose(points);
        divergence.dispose();
      });
    }
  }
});
