import { SeededRandom } from '@empirical-bregman/common';
import { describe, expect, it } from 'vitest';
import { nativeBlasInUse } from '../native-kernels/native-kernels';
import { NATIVE_RUN, nativeKernelTestHooks } from '../testing/native-kernel-test-run';
import { allocateGradientBuffers, SharedGradientAverage } from './shared-gradient-average';

// The all-reduce in one thread: every worker's slot is written here, and the control word says the others arrived,
// so `average` never waits. The JavaScript loop and the native pass (native-blas's averageSlots) must give the same
// bits, which the data-parallel replicas' lockstep relies on whichever workers have the native kernels.

const rng = new SeededRandom(5);

nativeKernelTestHooks();

/** Worker 0's average of `gradients` (one array per worker), through `native` or the loop. */
function averageOf(gradients: Float32Array[], native: Parameters<SharedGradientAverage['average']>[1]): Float32Array {
  const size = gradients[0]!.length;
  const buffers = allocateGradientBuffers(gradients.length, size);
  const averagers = gradients.map((_, w) => new SharedGradientAverage(buffers, w));
  for (const [w, a] of averagers.entries()) a.ownSlot().set(gradients[w]!);
  // The other workers have arrived at the barrier.
  Atomics.add(new Int32Array(buffers.control), 0, gradients.length - 1);
  const out = new Float32Array(size);
  averagers[0]!.average(out, native);
  return out;
}

describe('SharedGradientAverage', () => {
  it('averages in float32, close to the float64 mean', () => {
    const gradients = [0, 1, 2].map(() => rng.normalArray(1000));
    const out = averageOf(gradients, null);
    for (let i = 0; i < out.length; i++)
      expect(out[i]).toBeCloseTo((gradients[0]![i]! + gradients[1]![i]! + gradients[2]![i]!) / 3, 6);
  });

  it.runIf(NATIVE_RUN)('gives the same bits natively as in JavaScript, for 1 to 4 workers', () => {
    const blas = nativeBlasInUse()!.blas;
    for (const workers of [1, 2, 3, 4]) {
      const gradients = Array.from({ length: workers }, (_, w) =>
        rng.normalArray(5003).map((v, i) => v * 2 ** ((i + w) % 40) * 2 ** -20),
      );
      expect(averageOf(gradients, blas), `${workers} workers`).toEqual(averageOf(gradients, null));
    }
  });

  it('nativeBlasInUse follows the native kernels (BREGMAN_NATIVE=0: none)', () => {
    expect(nativeBlasInUse() !== null).toBe(NATIVE_RUN);
  });
});
