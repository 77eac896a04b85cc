import * as tf from '@tensorflow/tfjs-core';
import type { Divergence, DivergenceJSON } from '@empirical-bregman/bregman-core';
import type { SeededRandom } from '@empirical-bregman/common';

/**
 * Test-only: an asymmetric "divergence" D(x, y) = ‖x − y‖² + 2 Σ x − Σ y, exact in float32 on small integers, so a
 * float64 JS reference gives the very same values (and ties). Not a real divergence (it can be negative); kNN does
 * not care.
 */
export class ShiftedSquaredDistance implements Divergence {
  readonly type = 'ShiftedSquaredDistance';
  readonly symmetric = false;
  readonly dim = null;
  readonly trainableVariables: tf.Variable[] = [];

  pairwise(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const na = tf.reshape(tf.sum(tf.square(a), 1), [-1, 1]);
      const nb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
      const sq = tf.sub(tf.add(na, nb), tf.mul(2, tf.matMul(a, b, false, true)));
      const sa = tf.reshape(tf.mul(2, tf.sum(a, 1)), [-1, 1]);
      const sb = tf.reshape(tf.sum(b, 1), [1, -1]);
      return tf.sub(tf.add(sq, sa), sb) as tf.Tensor2D;
    });
  }

  paired(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(
      () => tf.sub(tf.add(tf.sum(tf.squaredDifference(a, b), 1), tf.mul(2, tf.sum(a, 1))), tf.sum(b, 1)) as tf.Tensor1D,
    );
  }

  toJSON(): DivergenceJSON {
    return { type: this.type, config: {} };
  }

  dispose(): void {}

  /** The same D in float64 JS. */
  static value(x: ArrayLike<number>, y: ArrayLike<number>): number {
    let s = 0;
    for (let t = 0; t < x.length; t++) s += (x[t] - y[t]) ** 2 + 2 * x[t] - y[t];
    return s;
  }
}

/** n × d integers uniform in [−range, range] (many exact ties in squared distances). */
export function integerMatrix(rng: SeededRandom, n: number, d: number, range = 2): Float32Array {
  const out = new Float32Array(n * d);
  for (let t = 0; t < out.length; t++) out[t] = rng.int(2 * range + 1) - range;
  return out;
}

/** Naive kNN from the full matrix of D values in float64: sort every row by (value, index). */
export function naiveKnn(
  q: Float32Array,
  r: Float32Array,
  d: number,
  k: number,
  value: (x: Float32Array, y: Float32Array) => number,
  querySlot: 'left' | 'right',
  excludeSelf = false,
): { indices: Int32Array; distances: Float64Array } {
  const nq = q.length / d;
  const nr = r.length / d;
  const indices = new Int32Array(nq * k);
  const distances = new Float64Array(nq * k);
  for (let i = 0; i < nq; i++) {
    const qi = q.subarray(i * d, (i + 1) * d);
    const row: Array<[number, number]> = [];
    for (let j = 0; j < nr; j++) {
      if (excludeSelf && i === j) continue;
      const rj = r.subarray(j * d, (j + 1) * d);
      row.push([querySlot === 'left' ? value(qi, rj) : value(rj, qi), j]);
    }
    row.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (let t = 0; t < k; t++) {
      indices[i * k + t] = row[t][1];
      distances[i * k + t] = row[t][0];
    }
  }
  return { indices, distances };
}
