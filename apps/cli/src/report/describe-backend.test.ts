import type { BackendInfo } from '@empirical-bregman/runtime';
import { describe, expect, it } from 'vitest';
import { backendSummary } from '../run/train-run';
import { describeBackend } from './describe-backend';

const wasm: BackendInfo = {
  backend: 'wasm',
  tfjsVersion: '4.22.0',
  platform: 'node',
  source: 'default',
  simd: true,
  threads: 1,
  patchedKernels: ['BatchMatMul'],
  native: {
    enabled: true,
    library: 'OpenBLAS 0.3.21',
    core: 'Haswell',
    threads: 2,
    kernels: ['BatchMatMul'],
    reason: null,
  },
  smokeTest: null,
  attempts: [{ backend: 'wasm' }],
};

describe('describeBackend (reports)', () => {
  it('names the native BLAS kernels a result ran on, or why they were off', () => {
    expect(describeBackend(backendSummary(wasm))).toBe(
      'wasm · tfjs 4.22.0 · SIMD on · 1 thread · native BLAS (OpenBLAS 0.3.21, 2 threads, Haswell)',
    );
    const off = { ...wasm, native: { ...wasm.native!, enabled: false, reason: 'disabled by BREGMAN_NATIVE=0' } };
    expect(describeBackend(backendSummary(off))).toBe(
      'wasm · tfjs 4.22.0 · SIMD on · 1 thread · native BLAS off: disabled by BREGMAN_NATIVE=0',
    );
  });

  it('says nothing of them on other backends, nor for results saved before they were recorded', () => {
    const cpu: BackendInfo = { ...wasm, backend: 'cpu', simd: null, threads: null, patchedKernels: [], native: null };
    expect(describeBackend(backendSummary(cpu))).toBe('cpu · tfjs 4.22.0');
    expect(describeBackend({ backend: 'wasm', tfjsVersion: '4.22.0', simd: true, threads: 1 })).toBe(
      'wasm · tfjs 4.22.0 · SIMD on · 1 thread',
    );
  });
});
