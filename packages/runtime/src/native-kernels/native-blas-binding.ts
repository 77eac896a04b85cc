import type * as NativeBlasPackage from '@empirical-bregman/native-blas';

/**
 * What the native kernels call: the loaded addon and the package's helpers. Only types come from
 * `@empirical-bregman/native-blas` statically; the package itself is an optional, Node-only dependency that
 * `setNativeKernels` imports at run time, so the main entry stays browser-safe and works without it.
 */
export interface NativeBlasBinding {
  readonly blas: NativeBlasPackage.NativeBlasAddon;
  readonly activations: typeof NativeBlasPackage.FUSED_ACTIVATION_CODES;
  readonly convGeometry: typeof NativeBlasPackage.convGeometry;
}
