import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@empirical-bregman/common';
import { NATIVE_RUN, nativeKernelTestHooks } from '../testing/native-kernel-test-run';
import type { WasmBackendLike } from '../wasm-kernels/kernel-types';
import { setWasmTrainingKernels } from '../wasm-kernels/wasm-training-kernels';
import { nativeCallCount } from './native-kernel-calls';
import { setNativeKernels } from './native-kernels';

// MaxPoolGrad on wasm against a JS reference of tfjs-cpu's semantics (maxPoolPositions: the first strictly greatest
// element of each window in row-major order; sums in double), on random shapes with ties, negative windows, strides,
// 'valid'/'same'/explicit padding and overlapping windows. The package's test script runs this file twice: native
// kernels on (the native kernel), and BREGMAN_NATIVE=0 (the wasm training layer's kernel, max-pool-grad.ts); each
// case checks which path ran. The stock wasm kernel under both, which keeps the LAST max, starts from FLT_MIN and
// sums in float32, is pinned down against a reference of exactly that: the bug both replacements fix.

const rng = new SeededRandom(4242);
const int = (low: number, high: number) => low + rng.int(high - low + 1);
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

nativeKernelTestHooks();

type Pad = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];
interface PoolCase {
  x: [number, number, number, number];
  filterSize: [number, number];
  strides: [number, number];
  pad: Pad;
}

/** Which tfjs kernel's semantics a reference follows. */
type Semantics = 'tfjs-cpu' | 'stock-wasm';

/**
 * dx of a max pool, written from the two kernels' definitions. tfjs-cpu: the running max starts at −∞ and a value
 * replaces it when strictly greater (first max wins; no winner, no gradient); each dx is the sum in double of the dy
 * of the windows it won, in window order, rounded once. Stock wasm (4.22): starts at FLT_MIN (position: flat offset
 * 0) and replaces on ≥ (last max wins); sums in float32.
 */
function maxPoolGradReference(x: Float32Array, dy: Float32Array, c: PoolCase, semantics: Semantics): Float32Array {
  const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
  const [batch, height, width, channels] = c.x;
  const sums = new Float64Array(size(c.x));
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < info.outHeight; oy++)
      for (let ox = 0; ox < info.outWidth; ox++)
        for (let ch = 0; ch < channels; ch++) {
          let best = semantics === 'tfjs-cpu' ? Number.NEGATIVE_INFINITY : 1.1754943508222875e-38;
          let at = semantics === 'tfjs-cpu' ? -1 : 0;
          const taps: number[] = [];
          for (let ky = 0; ky < info.filterHeight; ky++)
            for (let kx = 0; kx < info.filterWidth; kx++) {
              const iy = oy * info.strideHeight - info.padInfo.top + ky;
              const ix = ox * info.strideWidth - info.padInfo.left + kx;
              if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
              const index = ((b * height + iy) * width + ix) * channels + ch;
              taps.push(index);
              const v = x[index]!;
              if (semantics === 'tfjs-cpu' ? v > best : v >= best) {
                best = v;
                at = index;
              }
            }
          // Stock wasm's flat offset 0 gets the gradient only where that element is one of the window's taps.
          if (at < 0 || !taps.includes(at)) continue;
          const g = dy[((b * info.outHeight + oy) * info.outWidth + ox) * channels + ch]!;
          sums[at] = semantics === 'tfjs-cpu' ? sums[at]! + g : Math.fround(sums[at]! + g);
        }
  return Float32Array.from(sums);
}

function poolCase(): PoolCase {
  const filterSize: [number, number] = [int(1, 4), int(1, 4)];
  const strides: [number, number] = [int(1, 3), int(1, 3)];
  const pads: Pad[] = [
    'valid',
    'same',
    [
      [0, 0],
      [int(0, filterSize[0] - 1), int(0, 1)],
      [int(0, 1), int(0, filterSize[1] - 1)],
      [0, 0],
    ],
  ];
  const x: [number, number, number, number] = [int(1, 3), int(filterSize[0], 11), int(filterSize[1], 11), int(1, 5)];
  return { x, filterSize, strides, pad: pads[int(0, 2)]! };
}

/** Runs MaxPoolGrad on wasm (its dy shaped like tf.maxPool's output); returns dx and whether the native path ran. */
function runMaxPoolGrad(x: Float32Array, dy: Float32Array, c: PoolCase) {
  const before = nativeCallCount('MaxPoolGrad');
  const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
  const input = tf.tensor(x, c.x);
  const dyT = tf.tensor(dy, info.outShape);
  // MaxPoolGrad's third input, the pool's output: neither kernel reads it, any tensor of its shape does.
  const output = tf.zeros(info.outShape);
  try {
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    const dx = tf.engine().runKernel('MaxPoolGrad', { dy: dyT, input, output }, attrs as tf.NamedAttrMap) as tf.Tensor;
    const values = Float32Array.from(dx.dataSync());
    expect(dx.shape).toEqual(c.x);
    dx.dispose();
    return { values, native: nativeCallCount('MaxPoolGrad') > before };
  } finally {
    tf.dispose([input, dyT, output]);
  }
}

const describeCase = (c: PoolCase) =>
  `x ${c.x.join('×')}, window ${c.filterSize.join('×')}, strides ${c.strides.join(',')}, pad ${JSON.stringify(c.pad)}`;
/** Small integers: most windows hold ties, about half of them only negative values. */
const integers = (n: number) => Float32Array.from({ length: n }, () => int(-3, 3));
const semantics: Semantics = 'tfjs-cpu';
/** A random case (poolCase) with small-integer inputs and a normal dy shaped like the pool's output. */
function tiedCase() {
  const c = poolCase();
  const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
  return { c, x: integers(size(c.x)), dy: rng.normalArray(size(info.outShape)) };
}

describe('MaxPoolGrad', () => {
  it(`follows ${semantics}'s semantics exactly on random shapes with ties, negative windows, strides and padding`, () => {
    for (let trial = 0; trial < 40; trial++) {
      const { c, x, dy } = tiedCase();
      const got = runMaxPoolGrad(x, dy, c);
      expect(got.native, describeCase(c)).toBe(NATIVE_RUN);
      expect(got.values, describeCase(c)).toEqual(maxPoolGradReference(x, dy, c, semantics));
    }
  });

  it('gives the gradient of a tied window to its first element (tfjs-cpu), of an all-negative one too', async () => {
    // One 2×2 window of ties, one of negative values, in the second image of a batch of 2.
    const c: PoolCase = { x: [2, 2, 2, 1], filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
    const got = runMaxPoolGrad(Float32Array.of(1, 1, 1, 1, -4, -2, -3, -2), Float32Array.of(5, 7), c);
    expect(got.native).toBe(NATIVE_RUN);
    expect(Array.from(got.values)).toEqual([5, 0, 0, 0, 0, 7, 0, 0]);
    // The stock wasm kernel (both layers off): the last of the ties, and nothing for the negative window.
    await setNativeKernels(false);
    setWasmTrainingKernels(false);
    const stock = runMaxPoolGrad(Float32Array.of(1, 1, 1, 1, -4, -2, -3, -2), Float32Array.of(5, 7), c);
    expect(Array.from(stock.values)).toEqual([0, 0, 0, 5, 0, 0, 0, 0]);
  });

  it('the stock wasm kernel under both replacements follows stock-wasm semantics exactly (the bug they fix)', async () => {
    await setNativeKernels(false);
    setWasmTrainingKernels(false);
    for (let trial = 0; trial < 20; trial++) {
      const { c, x, dy } = tiedCase();
      const got = runMaxPoolGrad(x, dy, c);
      expect(got.native).toBe(false);
      expect(got.values, describeCase(c)).toEqual(maxPoolGradReference(x, dy, c, 'stock-wasm'));
    }
  });

  it('is bit-identical to the stock wasm kernel on non-tied positive inputs with windows that do not overlap', async () => {
    for (let trial = 0; trial < 12; trial++) {
      const c = poolCase();
      c.strides = [c.filterSize[0] + int(0, 1), c.filterSize[1] + int(0, 1)];
      const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
      // Distinct values in [1, 2): no ties, none below FLT_MIN, where the two kernels' rules agree.
      const x = Float32Array.from(rng.normalArray(size(c.x)), (v, i) => 1 + (Math.abs(v) % 1) * 0.5 + i * 2 ** -22);
      const dy = rng.normalArray(size(info.outShape));
      const mine = runMaxPoolGrad(x, dy, c);
      await setNativeKernels(false);
      setWasmTrainingKernels(false);
      const stock = runMaxPoolGrad(x, dy, c);
      setWasmTrainingKernels(true);
      await setNativeKernels(NATIVE_RUN);
      expect([mine.native, stock.native]).toEqual([NATIVE_RUN, false]);
      expect(mine.values, describeCase(c)).toEqual(stock.values);
    }
  });

  it('the native kernel and the wasm layer’s agree bit for bit (ties, negative windows, overlapping windows)', async () => {
    for (let trial = 0; trial < 12; trial++) {
      const { c, x, dy } = tiedCase();
      const mine = runMaxPoolGrad(x, dy, c);
      await setNativeKernels(!NATIVE_RUN);
      const other = runMaxPoolGrad(x, dy, c);
      await setNativeKernels(NATIVE_RUN);
      expect([mine.native, other.native]).toEqual([NATIVE_RUN, !NATIVE_RUN]);
      expect(mine.values, describeCase(c)).toEqual(other.values);
    }
  });

  it("'s tfjs-cpu reference is tfjs-cpu's own MaxPoolGrad, bit for bit (overlapping windows, ties, padding)", async () => {
    const cases: PoolCase[] = [
      { x: [2, 7, 6, 3], filterSize: [3, 3], strides: [1, 1], pad: 'same' },
      { x: [1, 9, 8, 2], filterSize: [3, 2], strides: [2, 1], pad: 'valid' },
    ];
    for (const c of cases) {
      const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
      const x = integers(size(c.x));
      const dy = rng.normalArray(size(info.outShape));
      await tf.setBackend('cpu');
      const want = tf.tidy((): tf.Tensor => {
        const input = tf.tensor(x, c.x);
        const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad } as unknown as tf.NamedAttrMap;
        const output = tf.engine().runKernel('MaxPool', { x: input }, attrs) as tf.Tensor;
        const dyT = tf.tensor(dy, info.outShape);
        return tf.engine().runKernel('MaxPoolGrad', { dy: dyT, input, output }, attrs) as tf.Tensor;
      });
      const wantValues = Float32Array.from(want.dataSync());
      want.dispose();
      await tf.setBackend('wasm');
      expect(wantValues, describeCase(c)).toEqual(maxPoolGradReference(x, dy, c, 'tfjs-cpu'));
    }
  });

  it('runs under tf.grad of tf.maxPool (the path tfjs-layers MaxPooling2D takes), per the semantics above', () => {
    const c: PoolCase = { x: [3, 8, 8, 4], filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
    const x = integers(size(c.x));
    const dy = rng.normalArray(3 * 4 * 4 * 4);
    const before = nativeCallCount('MaxPoolGrad');
    const dx = tf.tidy(() => {
      const xT = tf.tensor4d(x, c.x);
      const dyT = tf.tensor4d(dy, [3, 4, 4, 4]);
      return tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid'))(xT, dyT);
    });
    const got = Float32Array.from(dx.dataSync());
    dx.dispose();
    expect(nativeCallCount('MaxPoolGrad') > before).toBe(NATIVE_RUN);
    expect(got).toEqual(maxPoolGradReference(x, dy, c, semantics));
  });

  it('reads the heap after the wasm memory grew between calls', () => {
    const heap = () => (tf.backend() as unknown as WasmBackendLike).wasm.HEAPF32;
    const c: PoolCase = { x: [2, 9, 7, 3], filterSize: [3, 3], strides: [2, 2], pad: 'same' };
    const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
    const x = integers(size(c.x));
    const dy = rng.normalArray(size(info.outShape));
    for (let round = 0; round < 2; round++) {
      const before = heap();
      const big = tf.zeros([before.length + (1 << 20)]);
      expect(before.length).toBe(0);
      const got = runMaxPoolGrad(x, dy, c);
      expect(got.native).toBe(NATIVE_RUN);
      expect(got.values).toEqual(maxPoolGradReference(x, dy, c, semantics));
      big.dispose();
    }
  });
});
