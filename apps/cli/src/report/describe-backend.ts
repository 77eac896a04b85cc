import type { BackendSummary } from './report-data';

/** One line naming the backend a result came from: 'wasm · tfjs 4.22.0 · SIMD on · 2 threads'. */
export function describeBackend(backend: BackendSummary): string {
  const parts = [backend.backend, `tfjs ${backend.tfjsVersion}`];
  if (backend.simd !== null) parts.push(`SIMD ${backend.simd ? 'on' : 'off'}`);
  if (backend.threads !== null) parts.push(`${backend.threads} thread${backend.threads === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
