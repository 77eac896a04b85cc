import type * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's `BackendWasm` that the replacement kernels use. */
export interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  wasm: { HEAP32: Int32Array; HEAPF32: Float32Array; HEAPU8: Uint8Array };
}

export interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
  attrs: Record<string, unknown>;
}

export type KernelFunc = (args: KernelArgs) => tf.TensorInfo;
