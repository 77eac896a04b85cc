import type * as tf from '@tensorflow/tfjs-core';
import { checkInteger } from '../check-integer';
import type { Neighbours } from '../neighbours';
import { SearchError } from '../search-error';
import type { BregmanAnnIndex } from './bregman-ann-index';

/** One point of a recall / speed sweep. */
export interface AnnRecallPoint {
  /** Search beam width. */
  readonly width: number;
  /** Mean over queries of |approximate top-k ∩ exact top-k| / k. */
  readonly recallAtK: number;
  /** Queries per second of `BregmanAnnIndex.search` (query transform, graph search, exact re-scoring). */
  readonly queriesPerSecond: number;
}

/**
 * recall@k of approximate neighbour lists against exact ones: (1/nq) Σ_q |A_k(q) ∩ E_k(q)| / k, the standard ANN
 * benchmark measure (Aumüller, Bernhardsson & Faithfull, "ANN-Benchmarks", 2020). Both lists must hold ≥ k per query.
 */
export function neighbourRecall(approximate: Neighbours, exact: Neighbours, k: number): number {
  const component = 'neighbourRecall';
  if (approximate.numQueries !== exact.numQueries) {
    throw new SearchError(
      component,
      'INVALID_SHAPE',
      `expected the same queries in both lists, got ${approximate.numQueries} and ${exact.numQueries}`,
    );
  }
  checkInteger(component, 'k', k, 1, Math.min(approximate.k, exact.k));
  let hits = 0;
  for (let i = 0; i < exact.numQueries; i++) {
    const truth = new Set(exact.indices.subarray(i * exact.k, i * exact.k + k));
    for (let r = 0; r < k; r++) if (truth.has(approximate.indices[i * approximate.k + r])) hits++;
  }
  return hits / (exact.numQueries * k);
}

/**
 * Sweeps search widths: recall@k against the exact neighbours and queries per second, to choose a width and to see
 * where the index pays off against exact blockwise search (`exactKnn`). Timings are measured, never asserted.
 *
 * @param index the index to query.
 * @param queries [nq, d], not disposed.
 * @param exact the exact neighbours of the same queries (e.g. `exactKnn` with the index's `querySlot`), k ≥ `k`.
 */
export async function annRecall(
  index: BregmanAnnIndex,
  queries: tf.Tensor2D,
  exact: Neighbours,
  options: { readonly k?: number; readonly widths?: readonly number[]; readonly threads?: number } = {},
): Promise<AnnRecallPoint[]> {
  const k = options.k ?? Math.min(10, exact.k);
  const out: AnnRecallPoint[] = [];
  for (const width of options.widths ?? [16, 32, 64, 128, 256]) {
    const started = performance.now();
    const found = await index.search(queries, k, { width, threads: options.threads });
    const seconds = (performance.now() - started) / 1000;
    out.push({
      width,
      recallAtK: neighbourRecall(found, exact, k),
      queriesPerSecond: queries.shape[0] / Math.max(seconds, 1e-9),
    });
  }
  return out;
}
