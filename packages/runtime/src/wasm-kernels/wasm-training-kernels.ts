import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../runtime-error';
import { makeTransposingMatMul } from './batch-mat-mul-transposed';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';
import { makeConv2dBackpropInput } from './conv2d-backprop-input';
import { makeEmptyInnerMatMul } from './empty-inner-mat-mul';
import { makeExactEmptyReduction } from './exact-empty-reduction';
import type { KernelFunc } from './kernel-types';
import { makeSharedIdentity } from './identity-shared';
import { makeHeapSlice } from './slice-on-heap';
import { makeTiledTranspose } from './transpose-on-heap';
import { makeLeadingAxesSum } from './sum-leading-axes';
import { unsortedSegmentSum } from './unsorted-segment-sum';

/** The wasm kernels this package replaces or adds, in the order they are registered. */
export const WASM_TRAINING_KERNELS = [
  'Identity',
  'Slice',
  'Transpose',
  'Sum',
  'Mean',
  'Prod',
  'Max',
  'Min',
  'Any',
  'All',
  'BatchMatMul',
  '_FusedMatMul',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'UnsortedSegmentSum',
] as const;

/** Stock kernel configs, saved before the first replacement (`undefined`: wasm has none). */
let stock: Map<string, tf.KernelConfig | undefined> | undefined;

function replacementFor(
  name: (typeof WASM_TRAINING_KERNELS)[number],
  original: tf.KernelConfig | undefined,
): KernelFunc {
  // Kernels we wrap need wasm's own as the fallback (or the fast path); the two we add have none. Reductions and
  // products are also wrapped to be exact on empty inputs (stock wasm leaves their output unwritten then).
  const stockFunc = (): KernelFunc => {
    const func = original?.kernelFunc as unknown as KernelFunc | undefined;
    if (!func) throw new RuntimeError('wasm kernels', 'UNAVAILABLE', `expected a stock wasm ${name}`);
    return func;
  };
  switch (name) {
    case 'Identity':
      return makeSharedIdentity(stockFunc());
    case 'Slice':
      return makeHeapSlice(stockFunc());
    case 'Transpose':
      return makeTiledTranspose(stockFunc());
    case 'Sum':
      return makeExactEmptyReduction(name, makeLeadingAxesSum(stockFunc()));
    case 'Mean':
    case 'Prod':
    case 'Max':
    case 'Min':
    case 'Any':
    case 'All':
      return makeExactEmptyReduction(name, stockFunc());
    case 'BatchMatMul':
    case '_FusedMatMul':
      return makeEmptyInnerMatMul(makeTransposingMatMul(stockFunc()));
    case 'Conv2DBackpropInput':
      return makeConv2dBackpropInput(stockFunc());
    case 'Conv2DBackpropFilter':
      return conv2dBackpropFilter;
    case 'UnsortedSegmentSum':
      return unsortedSegmentSum;
  }
}

/**
 * Registers the training kernels on the wasm backend (idempotent); or, with `enabled = false`, restores the stock
 * kernels (the perf benchmark compares both). Call after the wasm backend is registered; `initBackend` does.
 * Returns the names of the kernels that are replaced now.
 */
export function setWasmTrainingKernels(enabled: boolean): string[] {
  if (!stock) {
    stock = new Map();
    for (const name of WASM_TRAINING_KERNELS) stock.set(name, tf.getKernel(name, 'wasm'));
  }
  for (const name of WASM_TRAINING_KERNELS) {
    const original = stock.get(name);
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    if (enabled) {
      tf.registerKernel({
        kernelName: name,
        backendName: 'wasm',
        // The stock kernel's setup (binding its wasm function) still has to run if the backend initialises later.
        setupFunc: original?.setupFunc,
        kernelFunc: replacementFor(name, original) as unknown as tf.KernelFunc,
      });
    } else if (original) {
      tf.registerKernel(original);
    }
  }
  return enabled ? [...WASM_TRAINING_KERNELS] : [];
}
