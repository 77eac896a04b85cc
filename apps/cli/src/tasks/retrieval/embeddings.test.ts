import { EuclideanDivergence } from '@empirical-bregman/bregman-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { recallNotApplicable, scoreEmbeddings } from './embeddings';

// Three classes drawn in two styles, on a line. Style A: class 0 at 0, 1 at 1, 2 at 20; style B: 0 at 3, 1 at 30,
// 2 at 21. Samples are class-major, A then B.
const positions = [0, 3, 1, 30, 20, 21];
const labels = Int32Array.from([0, 0, 1, 1, 2, 2]);
const domains = Int32Array.from([0, 1, 0, 1, 0, 1]);

describe('scoreEmbeddings with domains (cross-domain retrieval)', () => {
  it('queries each style against the other only: P@1, MAP@R and Recall@2 by hand', async () => {
    const divergence = new EuclideanDivergence();
    const x = tf.tensor2d(positions, [6, 1]);
    const before = tf.memory().numTensors;
    // Nearest drawing in the other style: A0 (0) → B 3 (class 0) ✓; A1 (1) → B 3 (class 0) ✗; A2 (20) → B 21 ✓;
    // B0 (3) → A 1 (class 1) ✗; B1 (30) → A 20 (class 2) ✗; B2 (21) → A 20 ✓: P@1 = 3/6. One relevant item per
    // query (R = 1), so MAP@R = P@1. Within the two nearest: A1 → 3, 21 ✗; B0 → 1, 0 ✓; B1 → 20, 1 ✓: 5/6.
    const cross = await scoreEmbeddings(divergence, x, labels, { domains, clustering: true });
    expect(cross.precisionAt1).toBeCloseTo(3 / 6, 10);
    expect(cross.mapAtR).toBeCloseTo(3 / 6, 10);
    expect(cross.rPrecision).toBeCloseTo(3 / 6, 10);
    expect(cross.recallAt1).toBeCloseTo(3 / 6, 10);
    expect(cross.recallAt2).toBeCloseTo(5 / 6, 10);
    // Three references per query: Recall@4 and @8 are not defined.
    expect(cross.recallAt4).toBeUndefined();
    expect(recallNotApplicable(labels, domains)).toEqual([
      "Recall@4, @8 not applicable: a query's references are the other domains' test items, 3 at fewest, so K ≤ 3",
    ]);
    expect(cross.nmi).toBeGreaterThanOrEqual(0);
    // Against all other samples instead: A0 → A1 ✗, A1 → A0 ✗, A2 → B2 ✓, B0 → A1 ✗, B1 → B2 ✗, B2 → A2 ✓: 2/6.
    const all = await scoreEmbeddings(divergence, x, labels, {});
    expect(all.precisionAt1).toBeCloseTo(2 / 6, 10);
    // One domain only is the usual protocol.
    const single = await scoreEmbeddings(divergence, x, labels, { domains: new Int32Array(6) });
    expect(single.precisionAt1).toBeCloseTo(2 / 6, 10);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    divergence.dispose();
  });
});
