import { describeValue } from '@empirical-bregman/common';
import { ModelError } from './model-error';

/**
 * Class labels of items: integers ≥ 0, one per item. Labels below `manifest.labels.names.length` are the training
 * classes (named there); larger ones are classes the model never saw (class-disjoint retrieval), named by number.
 */
export type Labels = Int32Array | readonly number[];

/** A copy of `labels` as an Int32Array of length `n`, checked. Internal. */
export function checkLabels(component: string, name: string, labels: unknown, n: number): Int32Array {
  if (!(labels instanceof Int32Array) && !Array.isArray(labels)) {
    throw new ModelError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be an Int32Array or number[], got ${describeValue(labels)}`,
    );
  }
  if (labels.length !== n) {
    throw new ModelError(component, 'INVALID_SHAPE', `expected ${n} ${name} (one per item), got ${labels.length}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i] as unknown;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        `expected ${name} to be integers ≥ 0, got ${describeValue(v)} at ${i}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** The distinct labels, ascending. Internal. */
export function distinctLabels(labels: Int32Array): Int32Array {
  return Int32Array.from(new Set(labels)).sort();
}
