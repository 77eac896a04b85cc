import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../runtime-error';
import type { KernelFunc } from './kernel-types';

/**
 * A set of kernels laid over the wasm backend's own: each wraps the kernel below it, which it calls for the cases it
 * does not handle. Two layers exist, in this order from the bottom: `'training'` (this package's replacements that
 * make wasm train, `setWasmTrainingKernels`) and `'native'` (OpenBLAS through `@empirical-bregman/native-blas`,
 * `setNativeKernels`). Either can be switched on and off alone; whatever is switched on stays stacked in that order,
 * so the native `BatchMatMul` falls back to the training layer's when that is on, to the stock kernel when not.
 */
export interface WasmKernelLayer {
  readonly names: readonly string[];
  /** The kernel `name` of this layer; `below()` is the kernel under it (throws when there is none). */
  kernel(name: string, below: () => KernelFunc): KernelFunc;
}

export type WasmKernelLayerSlot = 'training' | 'native';
const ORDER: readonly WasmKernelLayerSlot[] = ['training', 'native'];
const layers: Record<WasmKernelLayerSlot, WasmKernelLayer | null> = { training: null, native: null };

/** Stock kernel configs, saved before a name is first replaced (`undefined`: wasm has none). */
const stock = new Map<string, tf.KernelConfig | undefined>();

/**
 * Puts `layer` in `slot` (null: removes that slot's layer) and re-registers every kernel either the old or the new
 * layer names, stacked over the stock kernel. Call after the wasm backend is registered.
 */
export function setWasmKernelLayer(slot: WasmKernelLayerSlot, layer: WasmKernelLayer | null): void {
  const touched = new Set([...(layers[slot]?.names ?? []), ...(layer?.names ?? [])]);
  // Every change goes through here, so a name not yet saved has never been replaced: what is registered is stock.
  for (const name of touched) if (!stock.has(name)) stock.set(name, tf.getKernel(name, 'wasm'));
  layers[slot] = layer;
  for (const name of touched) register(name);
}

function register(name: string): void {
  const original = stock.get(name);
  let kernel: KernelFunc | undefined = original?.kernelFunc as unknown as KernelFunc | undefined;
  let replaced = false;
  for (const slot of ORDER) {
    const layer = layers[slot];
    if (!layer?.names.includes(name)) continue;
    const under = kernel;
    const below = (): KernelFunc => {
      if (!under)
        throw new RuntimeError('wasm kernels', 'UNAVAILABLE', `expected a wasm kernel ${name} below, got none`);
      return under;
    };
    kernel = layer.kernel(name, below);
    replaced = true;
  }
  if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  if (replaced && kernel) {
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      // The stock kernel's setup (binding its wasm function) still has to run if the backend initialises later.
      setupFunc: original?.setupFunc,
      kernelFunc: kernel as unknown as tf.KernelFunc,
    });
  } else if (original) {
    tf.registerKernel(original);
  }
}
