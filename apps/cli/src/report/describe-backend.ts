import type { BackendSummary } from './report-data';

/**
 * One line naming the backend a result came from: 'wasm · tfjs 4.22.0 · SIMD on · 1 thread · native BLAS
 * (OpenBLAS 0.3.21, 2 threads, Haswell)', or '… · native BLAS off: <why>'.
 */
export function describeBackend(backend: BackendSummary): string {
  const parts = [backend.backend, `tfjs ${backend.tfjsVersion}`];
  if (backend.simd !== null) parts.push(`SIMD ${backend.simd ? 'on' : 'off'}`);
  if (backend.threads !== null) parts.push(`${backend.threads} thread${backend.threads === 1 ? '' : 's'}`);
  const native = backend.native ?? null;
  if (native !== null) parts.push(native.startsWith('off: ') ? `native BLAS ${native}` : `native BLAS (${native})`);
  return parts.join(' · ');
}
