import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../config/validate-run-config';
import { buildDivergence } from './divergence-head';

describe('buildDivergence', () => {
  it('icnnResidual: the icnn head starts at D = ½‖x − y‖² exactly; without it the plain ICNN does not', () => {
    const before = tf.memory().numTensors;
    const settings = { dataset: 'uci-digits', divergence: 'icnn', embeddingDim: 3, icnnHidden: [8, 8] };
    const residual = buildDivergence(validateRunConfig({ ...settings, icnnResidual: true }, 'test'));
    const plain = buildDivergence(validateRunConfig(settings, 'test'));
    const x = tf.tensor2d([
      [1, 2, -1],
      [0.5, 0, 3],
    ]);
    const y = tf.tensor2d([
      [0, 2, 1],
      [-1, 1, 3],
    ]);
    // ½‖x − y‖² by hand: ½(1 + 0 + 4) = 2.5; ½(2.25 + 1 + 0) = 1.625.
    const d = residual.paired(x, y);
    expect(Array.from(d.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([2.5, 1.625]);
    const dPlain = plain.paired(x, y);
    expect(Math.abs(dPlain.dataSync()[0]! - 2.5)).toBeGreaterThan(1e-3);
    tf.dispose([x, y, d, dPlain]);
    residual.dispose();
    plain.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
