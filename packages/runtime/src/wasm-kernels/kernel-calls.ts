import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../runtime-error';
import type { KernelArgs, KernelFunc, WasmBackendLike } from './kernel-types';

/** The wasm kernel registered now under `name` (the stock one unless we replaced it). */
export function wasmKernel(name: string): KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (!config)
    throw new RuntimeError('runtime wasm kernels', 'UNAVAILABLE', `expected the wasm kernel ${name}, got none`);
  return config.kernelFunc as unknown as KernelFunc;
}

/**
 * Runs kernels inside a replacement kernel and frees every intermediate it made (kernel outputs live on the wasm
 * heap outside tfjs's tensor bookkeeping, so nothing else would free them).
 */
export class KernelScope {
  private readonly temporaries: tf.TensorInfo[] = [];

  constructor(readonly backend: WasmBackendLike) {}

  run(name: string, inputs: KernelArgs['inputs'], attrs: KernelArgs['attrs'] = {}): tf.TensorInfo {
    const out = wasmKernel(name)({ inputs, backend: this.backend, attrs });
    this.temporaries.push(out);
    return out;
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Frees `t` (made directly with `backend.makeOutput`) with the other intermediates. */
  adopt(t: tf.TensorInfo): tf.TensorInfo {
    this.temporaries.push(t);
    return t;
  }

  /** Marks `out` as the result: it survives `dispose()`. */
  keep(out: tf.TensorInfo): tf.TensorInfo {
    const i = this.temporaries.indexOf(out);
    if (i >= 0) this.temporaries.splice(i, 1);
    return out;
  }

  dispose(): void {
    for (const t of this.temporaries) this.backend.disposeData(t.dataId);
    this.temporaries.length = 0;
  }
}

/** `[0, 1, …, r−3, r−1, r−2]`: swaps the last two axes. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
