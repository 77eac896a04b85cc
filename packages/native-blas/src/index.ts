export { loadNativeBlas, defaultNativeBlasThreads, NATIVE_BLAS_BUILD_HINT } from './load-native-blas';
export type { NativeBlasLoaded, NativeBlasUnavailable } from './load-native-blas';
export { FUSED_ACTIVATION_CODES } from './native-blas-addon';
export type { FusedActivation, NativeBlasAddon } from './native-blas-addon';
export { convGeometry } from './conv-geometry';
export type { ConvGeometry } from './conv-geometry';
