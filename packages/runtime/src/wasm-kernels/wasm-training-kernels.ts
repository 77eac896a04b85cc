import { makeTransposingMatMul } from './batch-mat-mul-transposed';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';
import { makeConv2dBackpropInput } from './conv2d-backprop-input';
import { makeEmptyInnerMatMul } from './empty-inner-mat-mul';
import { makeExactEmptyReduction } from './exact-empty-reduction';
import { makeFusedMatMulByParts } from './fused-mat-mul-by-parts';
import type { KernelFunc } from './kernel-types';
import { makeSharedIdentity } from './identity-shared';
import { makeMaxPoolGrad } from './max-pool-grad';
import { makeHeapSlice } from './slice-on-heap';
import { makeTiledTranspose } from './transpose-on-heap';
import { makeLeadingAxesSum } from './sum-leading-axes';
import { unsortedSegmentSum } from './unsorted-segment-sum';
import { setWasmKernelLayer, type WasmKernelLayer } from './wasm-kernel-layers';

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
  'MaxPoolGrad',
] as const;

function replacementFor(name: (typeof WASM_TRAINING_KERNELS)[number], below: () => KernelFunc): KernelFunc {
  // Kernels we wrap need wasm's own as the fallback (or the fast path); the two we add have none. Reductions and
  // products are also wrapped to be exact on empty inputs (stock wasm leaves their output unwritten then).
  switch (name) {
    case 'Identity':
      return makeSharedIdentity(below());
    case 'Slice':
      return makeHeapSlice(below());
    case 'Transpose':
      return makeTiledTranspose(below());
    case 'Sum':
      return makeExactEmptyReduction(name, makeLeadingAxesSum(below()));
    case 'Mean':
    case 'Prod':
    case 'Max':
    case 'Min':
    case 'Any':
    case 'All':
      return makeExactEmptyReduction(name, below());
    case 'BatchMatMul':
      return makeEmptyInnerMatMul(makeTransposingMatMul(below()));
    case '_FusedMatMul':
      return makeFusedMatMulByParts(makeEmptyInnerMatMul(makeTransposingMatMul(below())));
    case 'Conv2DBackpropInput':
      return makeConv2dBackpropInput(below());
    case 'Conv2DBackpropFilter':
      return conv2dBackpropFilter;
    case 'UnsortedSegmentSum':
      return unsortedSegmentSum;
    case 'MaxPoolGrad':
      return makeMaxPoolGrad(below());
  }
}

const trainingLayer: WasmKernelLayer = {
  names: WASM_TRAINING_KERNELS,
  kernel: (name, below) => replacementFor(name as (typeof WASM_TRAINING_KERNELS)[number], below),
};

/**
 * Registers the training kernels on the wasm backend (idempotent); or, with `enabled = false`, restores the stock
 * kernels (the perf benchmark compares both). Native kernels (`setNativeKernels`), when on, stay on top of whichever
 * is registered. Call after the wasm backend is registered; `initBackend` does. Returns the names of the kernels that
 * are replaced now.
 */
export function setWasmTrainingKernels(enabled: boolean): string[] {
  setWasmKernelLayer('training', enabled ? trainingLayer : null);
  return enabled ? [...WASM_TRAINING_KERNELS] : [];
}
