import * as tf from '@tensorflow/tfjs-core';
import type { Divergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import type { QuerySlot } from '@empirical-bregman/bregman-core';

export interface PairSample {
  /** D of each pair, in the query's slot. */
  readonly divergences: Float32Array;
  /** 1 when the pair shares a label. */
  readonly sameClass: Uint8Array;
  /** False when every query × reference pair was used, true when they were sampled. */
  readonly sampled: boolean;
}

/**
 * Query × reference pairs and their divergences, for the pair metrics: all of them when there are at most
 * `maxPairs`, otherwise `maxPairs` pairs drawn uniformly with replacement (seeded). Self-pairs (query i with
 * reference i when the references include the queries) are never used. Internal.
 */
export async function samplePairs(
  divergence: Divergence,
  queries: tf.Tensor2D,
  references: tf.Tensor2D,
  queryLabels: Int32Array,
  referenceLabels: Int32Array,
  options: { querySlot: QuerySlot; excludeSelf: boolean; maxPairs: number; seed: number | string; blockSize?: number },
): Promise<PairSample> {
  const nq = queries.shape[0];
  const nr = references.shape[0];
  const perQuery = nr - (options.excludeSelf ? 1 : 0);
  const total = nq * perQuery;
  const sampled = total > options.maxPairs;
  const m = sampled ? options.maxPairs : total;
  const qi = new Int32Array(m);
  const rj = new Int32Array(m);
  if (!sampled) {
    let t = 0;
    for (let i = 0; i < nq; i++) {
      for (let j = 0; j < nr; j++) {
        if (options.excludeSelf && i === j) continue;
        qi[t] = i;
        rj[t++] = j;
      }
    }
  } else {
    const rng = new SeededRandom(options.seed);
    for (let t = 0; t < m; t++) {
      const i = rng.int(nq);
      let j = rng.int(perQuery);
      // Skip the self index by shifting the draw past it: uniform over the other references.
      if (options.excludeSelf && j >= i) j++;
      qi[t] = i;
      rj[t] = j;
    }
  }
  const divergences = new Float32Array(m);
  const sameClass = new Uint8Array(m);
  for (let t = 0; t < m; t++) sameClass[t] = queryLabels[qi[t]] === referenceLabels[rj[t]] ? 1 : 0;
  const blockSize = options.blockSize ?? 65_536;
  for (let start = 0; start < m; start += blockSize) {
    const end = Math.min(m, start + blockSize);
    const values = tf.tidy(() => {
      const q = tf.gather(queries, tf.tensor1d(qi.subarray(start, end), 'int32'));
      const r = tf.gather(references, tf.tensor1d(rj.subarray(start, end), 'int32'));
      return options.querySlot === 'left' ? divergence.paired(q, r) : divergence.paired(r, q);
    });
    try {
      divergences.set((await values.data()) as Float32Array, start);
    } finally {
      values.dispose();
    }
  }
  return { divergences, sameClass, sampled };
}
