import { spawnSync } from 'node:child_process';
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TORCH_NOT_FOUND } from './find-torch-python.mjs';
import { startPytorchPeer } from './pytorch-peer.mjs';

// The real pytorch_peer.py. Whether torch is here is decided by this file's own check, not by the code under test,
// so that a broken discovery fails one branch or the other instead of choosing the branch that passes.
const interpreters = process.env.BREGMAN_PYTHON ? [process.env.BREGMAN_PYTHON] : ['python3', '/usr/bin/python3'];
const torchHere = interpreters.some((python) => spawnSync(python, ['-c', 'import torch']).status === 0);

let peer;
beforeAll(async () => {
  await initBackend({ quiet: true });
  peer = await startPytorchPeer();
});
afterAll(async () => {
  await peer?.close();
});

/** A 3 → [4, 5] → 1 ICNN with every weight fixed by hand (b and w non-zero, so every term of φ and ∇φ counts). */
function fixedIcnn() {
  const shape = new IcnnConvexFunction({ dim: 3, hiddenSizes: [4, 5], activation: 'softplus', mu: 0.1, seed: 1 });
  const json = shape.toJSON();
  shape.dispose();
  const values = (n, start, step) => Array.from({ length: n }, (_, i) => start + step * ((i * 7) % 11));
  json.weights = {
    A0: { shape: [3, 4], values: values(12, -0.6, 0.13) },
    b0: { shape: [4], values: [0.1, -0.2, 0.3, 0] },
    U1: { shape: [4, 5], values: values(20, -0.5, 0.1) },
    A1: { shape: [3, 5], values: values(15, 0.5, -0.09) },
    b1: { shape: [5], values: [-0.1, 0.05, 0, 0.2, -0.3] },
    u: { shape: [5], values: [0.3, -0.2, 0.1, 0.4, 0] },
    w: { shape: [3], values: [0.2, -0.1, 0.05] },
  };
  return json;
}

/** Without torch, the peer is unavailable and says how to get it. */
function expectNotFound() {
  expect(peer.available).toBe(false);
  if (process.env.BREGMAN_PYTHON)
    expect(peer.reason).toMatch(/^PyTorch not found: BREGMAN_PYTHON=.* cannot import torch \(/);
  else expect(peer.reason).toBe(TORCH_NOT_FOUND);
}

// One test per check, whichever way the machine is: with torch it runs, without it asserts the reason (never skipped).
describe(`pytorch_peer.py (${torchHere ? 'torch importable here' : 'no torch here'})`, () => {
  it('times a 64³ matMul, or says PyTorch is not found', async () => {
    if (!torchHere) return expectNotFound();
    expect(peer.reason).toBeNull();
    const ms = await peer.time('matMul', { threads: 1, runs: 1, n: 64 });
    expect(ms).toHaveLength(1);
    expect(ms[0]).toBeGreaterThan(0);
  });

  it('computes the pairwise Bregman divergence of W2 as bregman-core does, or says PyTorch is not found', async () => {
    if (!torchHere) return expectNotFound();
    const json = fixedIcnn();
    const a = [
      [0.5, -1.2, 0.3],
      [1.5, 0.2, -0.7],
      [-0.4, 0.9, 1.1],
      [0, 0, 0],
    ];
    const b = [
      [1, 0.5, -0.5],
      [-1.3, -0.2, 0.8],
      [0.2, 1.4, 0.1],
      [0.6, -0.6, 0.6],
    ];
    const before = tf.memory().numTensors;
    const divergence = new BregmanDivergence(IcnnConvexFunction.fromJSON(json));
    const inputs = [tf.tensor2d(a), tf.tensor2d(b)];
    const d = divergence.pairwise(inputs[0], inputs[1]);
    const ours = d.arraySync();
    tf.dispose([...inputs, d]);
    divergence.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const theirs = await peer.pairwise(json, a, b);
    expect(theirs).toHaveLength(4);
    // Not a comparison of zeros: the clamp at 0 would hide a wrong formula.
    expect(Math.min(...ours.flat())).toBeGreaterThan(0.01);
    for (let i = 0; i < 4; i++) {
      expect(theirs[i]).toHaveLength(4);
      for (let j = 0; j < 4; j++) expect(Math.abs(theirs[i][j] - ours[i][j])).toBeLessThan(1e-4);
    }
  });
});
