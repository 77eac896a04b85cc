import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '@empirical-bregman/common';
import { type BackendInfo, describeBackend, initBackend } from '../init-backend';
import {
  conv2dBackpropFilterReference,
  conv2dBackpropInputReference,
  conv2dReference,
  convWindows,
  FLOAT64_ACTIVATIONS,
  type Float64Result,
  matMulReference,
  type Padding,
} from '../testing/float64-references';
import type { WasmBackendLike } from '../wasm-kernels/kernel-types';
import { nativeCallCount } from './native-kernel-calls';
import { NATIVE_KERNELS, setNativeKernels } from './native-kernels';

// The native BLAS kernels against float64 references, on random shapes. The package's test script runs this file
// twice: with the native kernels on (the addon must be built: `node tools/prereqs/ensure.mjs` builds it), and with
// BREGMAN_NATIVE=0, where the same cases run on this package's wasm kernels. Each case checks which path ran.

const NATIVE = process.env.BREGMAN_NATIVE !== '0';
/** Every result: |got − float64| ≤ TOLERANCE · (Σ|terms| + |bias| + |value|) per value. */
const TOLERANCE = 1e-5;

const rng = new SeededRandom(2323);
const int = (low: number, high: number) => low + rng.int(high - low + 1);
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

let info: BackendInfo;
beforeAll(async () => {
  info = await initBackend({ force: 'wasm', quiet: true });
  if (NATIVE && !info.native?.enabled) {
    throw new Error(`native BLAS kernels expected on, got off: ${info.native?.reason ?? 'not on wasm in Node'}`);
  }
});

// Every case frees what it made: the tensor count is the same after each test.
let tensorsBefore = 0;
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

interface Operand {
  shape: number[];
  values: Float32Array;
}
const operand = (shape: number[], scale = 1): Operand => ({
  shape,
  values: rng.normalArray(size(shape)).map((v) => v * scale),
});

/** Runs one kernel on wasm; returns its output and whether the native path ran it. */
function runKernel(kernel: string, inputs: Record<string, Operand>, attrs: Record<string, unknown>) {
  const before = nativeCallCount(kernel);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
  try {
    const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    const result = { shape: out.shape, values: Float32Array.from(out.dataSync()) };
    out.dispose();
    return { ...result, native: nativeCallCount(kernel) > before };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

function expectClose(
  got: { shape: number[]; values: Float32Array },
  want: Float64Result,
  extra?: Float64Array,
  label = '',
) {
  expect(got.shape, label).toEqual(want.shape);
  let worst = 0;
  for (let i = 0; i < want.values.length; i++) {
    const bound = want.scale[i]! + Math.abs(want.values[i]!) + (extra?.[i] ?? 0) + 1e-30;
    worst = Math.max(worst, Math.abs(got.values[i]! - want.values[i]!) / bound);
  }
  expect(worst, label).toBeLessThan(TOLERANCE);
}

describe('native BLAS kernels', () => {
  it(`are ${NATIVE ? 'on' : 'off (BREGMAN_NATIVE=0)'}, and initBackend says so`, async () => {
    const line = describeBackend(info);
    if (NATIVE) {
      expect(info.native).toMatchObject({
        enabled: true,
        kernels: [...NATIVE_KERNELS, 'NativeAdamUpdate'],
        reason: null,
      });
      expect(info.native?.library).toMatch(/^OpenBLAS \d+\.\d+\.\d+$/);
      expect(info.native?.threads).toBe(Math.min(2, availableParallelism()));
      expect(line).toMatch(
        /^empirical-bregman: tfjs backend wasm \+ native BLAS \(.*; OpenBLAS \d+\.\d+\.\d+, \d threads?, \w+/,
      );
    } else {
      expect(info.native).toEqual({
        enabled: false,
        library: null,
        core: null,
        threads: null,
        kernels: [],
        reason: 'disabled by BREGMAN_NATIVE=0',
      });
      expect(line).toMatch(/^empirical-bregman: tfjs backend wasm \(.*; native BLAS off: disabled by BREGMAN_NATIVE=0/);
    }
  });

  it('rejects a BREGMAN_NATIVE other than 0 or 1 before starting anything', () => {
    expect(() => initBackend({ env: { BREGMAN_NATIVE: 'no' } })).toThrow(
      /initBackend: expected BREGMAN_NATIVE to be 0 or 1, got "no"/,
    );
  });
});

describe('BatchMatMul', () => {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches float64 on random shapes: 2-D, batched, one side broadcast, rank 4 (transposeA=${transposeA}, transposeB=${transposeB})`, () => {
      const stored = (batch: number[], rows: number, cols: number, flag: boolean) =>
        flag ? [...batch, cols, rows] : [...batch, rows, cols];
      for (let trial = 0; trial < 8; trial++) {
        const [m, n, k] = [int(1, 40), int(1, 40), int(1, 70)];
        const batches: [number[], number[]][] = [
          [[], []],
          [[3], [3]],
          [[1], [4]],
          [[5], []],
          [
            [2, 3],
            [2, 3],
          ],
          [
            [2, 3],
            [1, 1],
          ],
        ];
        const [batchA, batchB] = batches[trial % batches.length]!;
        const a = operand(stored(batchA, m, k, transposeA));
        const b = operand(stored(batchB, k, n, transposeB));
        const got = runKernel('BatchMatMul', { a, b }, { transposeA, transposeB });
        expect(got.native).toBe(NATIVE);
        expectClose(got, matMulReference(a.values, a.shape, b.values, b.shape, transposeA, transposeB));
      }
    });
  }

  it('matches float64 on a product large enough for OpenBLAS to split it over threads (300 × 200 × 500)', () => {
    const a = operand([300, 500]);
    const b = operand([200, 500]);
    const got = runKernel('BatchMatMul', { a, b }, { transposeA: false, transposeB: true });
    expect(got.native).toBe(NATIVE);
    expectClose(got, matMulReference(a.values, a.shape, b.values, b.shape, false, true));
  });

  it('gives exact zeros when the inner dimension K is 0', () => {
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, true],
    ] as const) {
      const a = operand(transposeA ? [2, 0, 5] : [2, 5, 0]);
      const b = operand(transposeB ? [2, 3, 0] : [2, 0, 3]);
      const got = runKernel('BatchMatMul', { a, b }, { transposeA, transposeB });
      expect(got.native).toBe(NATIVE);
      expect(got.shape).toEqual([2, 5, 3]);
      expect(Array.from(got.values)).toEqual(Array(30).fill(0));
    }
  });

  it('goes to the wasm kernel below for batches that broadcast otherwise ([2, 1] against [1, 2])', () => {
    const a = operand([2, 1, 3, 4]);
    const b = operand([1, 2, 4, 5]);
    const before = nativeCallCount('BatchMatMul');
    const tensors = [tf.tensor(a.values, a.shape), tf.tensor(b.values, b.shape)];
    try {
      // What the stock kernel makes of it (garbage or an error) is its own business: only the path is checked.
      tf.dispose(tf.engine().runKernel('BatchMatMul', { a: tensors[0]!, b: tensors[1]! }, {}));
    } catch {
      // the stock kernel may refuse it
    }
    tf.dispose(tensors);
    expect(nativeCallCount('BatchMatMul')).toBe(before);
  });
});

describe('_FusedMatMul', () => {
  for (const activation of Object.keys(FLOAT64_ACTIVATIONS)) {
    it(`adds the bias and applies ${activation} like float64 (bias of n values and of 1, batched)`, () => {
      for (const [transposeA, transposeB, biasShape] of [
        [false, false, 'n'],
        [true, false, 'one'],
        [false, true, 'n'],
        [true, true, 'n'],
      ] as const) {
        const [batch, m, n, k] = [int(1, 3), int(1, 30), int(1, 30), int(1, 50)];
        const a = operand(transposeA ? [batch, k, m] : [batch, m, k]);
        const b = operand(transposeB ? [1, n, k] : [1, k, n]);
        const bias = operand(biasShape === 'n' ? [n] : [1]);
        const slopes = operand([n], 0.3);
        // Values around relu6's cap and elu's tail.
        a.values.forEach((v, i) => {
          a.values[i] = 2 * v;
        });
        const inputs: Record<string, Operand> = { a, b, bias };
        if (activation === 'prelu') inputs.preluActivationWeights = slopes;
        const got = runKernel('_FusedMatMul', inputs, { transposeA, transposeB, activation, leakyreluAlpha: 0.2 });
        expect(got.native).toBe(NATIVE);
        const product = matMulReference(a.values, a.shape, b.values, b.shape, transposeA, transposeB);
        const f = FLOAT64_ACTIVATIONS[activation]!;
        const biasAt = (i: number) => bias.values[bias.values.length === 1 ? 0 : i % n]!;
        const want = {
          ...product,
          values: product.values.map((v, i) => f(v + biasAt(i), slopes.values[i % n]!, 0.2)),
        };
        expectClose(
          got,
          want,
          Float64Array.from(product.values, (_, i) => Math.abs(biasAt(i))),
        );
      }
    });
  }

  it('applies the bias to a K = 0 product (then the activation), exactly', () => {
    const got = runKernel(
      '_FusedMatMul',
      { a: operand([1, 3, 0]), b: operand([1, 0, 2]), bias: { shape: [2], values: Float32Array.from([-1.5, 2.5]) } },
      { transposeA: false, transposeB: false, activation: 'relu' },
    );
    expect(got.native).toBe(NATIVE);
    expect(Array.from(got.values)).toEqual([0, 2.5, 0, 2.5, 0, 2.5]);
  });

  it('leaves a bias over rows and columns to the wasm kernels below, which add it by parts', () => {
    const a = operand([2, 3, 4]);
    const b = operand([1, 4, 2]);
    const bias = operand([3, 2]);
    const got = runKernel('_FusedMatMul', { a, b, bias }, { transposeA: false, transposeB: false, activation: 'relu' });
    expect(got.native).toBe(false);
    const product = matMulReference(a.values, a.shape, b.values, b.shape, false, false);
    const biasAt = (i: number) => bias.values[i % 6]!;
    const want = { ...product, values: product.values.map((v, i) => Math.max(v + biasAt(i), 0)) };
    expectClose(
      got,
      want,
      Float64Array.from(product.values, (_, i) => Math.abs(biasAt(i))),
    );
  });
});

interface ConvCase {
  x: number[];
  filter: number[];
  strides: [number, number];
  dilations: [number, number];
  pad: Padding;
}

/** Random convolutions covering strides, dilations and every kind of padding; patches ≥ 16 values. */
function convCases(): ConvCase[] {
  const cases: ConvCase[] = [];
  const pads: Padding[] = [
    'same',
    'valid',
    1,
    [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  ];
  for (let trial = 0; trial < 8; trial++) {
    const pad = pads[trial % pads.length]!;
    // tfjs sizes a numeric padding's output width with the filter's height and the vertical stride
    // (computeConv2DInfo, tfjs 4.22): only square filters and strides mean the same there as in TensorFlow.
    const square = typeof pad === 'number';
    const kh = int(1, 4);
    const kw = square ? kh : int(1, 4);
    const channels = Math.max(int(1, 6), Math.ceil(16 / (kh * kw)));
    const sh = int(1, 3);
    const strides: [number, number] = [sh, square ? sh : int(1, 2)];
    cases.push({
      x: [int(1, 3), int(kh + 4, 14), int(kw + 4, 14), channels],
      filter: [kh, kw, channels, int(1, 9)],
      strides,
      dilations: [1, 1],
      pad,
    });
  }
  // 1×1 with stride 1 and no padding: the input is its own patch matrix (the addon's pointwise path).
  cases.push({ x: [2, 5, 6, 20], filter: [1, 1, 20, 7], strides: [1, 1], dilations: [1, 1], pad: 'valid' });
  return cases;
}

const convAttrs = (c: ConvCase) => ({ strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilations });
const describeCase = (c: ConvCase) =>
  `x [${c.x}] · W [${c.filter}], strides [${c.strides}], dilations [${c.dilations}], pad ${JSON.stringify(c.pad)}`;

describe('Conv2D', () => {
  it('matches float64 on random shapes: strides, same/valid/number/explicit padding, 1×1', () => {
    for (const c of convCases()) {
      const x = operand(c.x);
      const filter = operand(c.filter);
      const got = runKernel('Conv2D', { x, filter }, convAttrs(c));
      expect(got.native, describeCase(c)).toBe(NATIVE);
      const w = convWindows(c.x, c.filter, c.strides, c.dilations, c.pad);
      expectClose(got, conv2dReference(x.values, x.shape, filter.values, filter.shape, w), undefined, describeCase(c));
    }
  });

  it('matches float64 with dilations (2, and 3 × 1)', () => {
    for (const dilations of [
      [2, 2],
      [3, 1],
    ] as [number, number][]) {
      for (const pad of ['same', 'valid'] as const) {
        const c: ConvCase = { x: [2, 13, 11, 4], filter: [3, 2, 4, 5], strides: [1, 1], dilations, pad };
        const x = operand(c.x);
        const filter = operand(c.filter);
        const got = runKernel('Conv2D', { x, filter }, convAttrs(c));
        expect(got.native, describeCase(c)).toBe(NATIVE);
        expectClose(
          got,
          conv2dReference(
            x.values,
            x.shape,
            filter.values,
            filter.shape,
            convWindows(c.x, c.filter, c.strides, dilations, pad),
          ),
        );
      }
    }
  });

  it('leaves patches under 16 values (3×3×1) to wasm, which is as fast there', () => {
    const c: ConvCase = { x: [2, 9, 9, 1], filter: [3, 3, 1, 8], strides: [1, 1], dilations: [1, 1], pad: 'same' };
    const x = operand(c.x);
    const filter = operand(c.filter);
    const got = runKernel('Conv2D', { x, filter }, convAttrs(c));
    expect(got.native).toBe(false);
    expectClose(
      got,
      conv2dReference(
        x.values,
        x.shape,
        filter.values,
        filter.shape,
        convWindows(c.x, c.filter, c.strides, c.dilations, c.pad),
      ),
    );
  });
});

describe('FusedConv2D', () => {
  for (const activation of ['linear', 'relu', 'prelu', 'elu']) {
    it(`adds the bias and applies ${activation} like float64`, () => {
      const c: ConvCase = { x: [2, 8, 7, 3], filter: [3, 3, 3, 6], strides: [2, 1], dilations: [1, 1], pad: 'same' };
      const x = operand(c.x);
      const filter = operand(c.filter);
      const bias = operand([6]);
      const slopes = operand([6], 0.3);
      const inputs: Record<string, Operand> = { x, filter, bias };
      if (activation === 'prelu') inputs.preluActivationWeights = slopes;
      const got = runKernel('FusedConv2D', inputs, { ...convAttrs(c), activation, leakyreluAlpha: 0.2 });
      expect(got.native).toBe(NATIVE);
      const conv = conv2dReference(
        x.values,
        x.shape,
        filter.values,
        filter.shape,
        convWindows(c.x, c.filter, c.strides, c.dilations, c.pad),
      );
      const f = FLOAT64_ACTIVATIONS[activation]!;
      const want = {
        ...conv,
        values: conv.values.map((v, i) => f(v + bias.values[i % 6]!, slopes.values[i % 6]!, 0.2)),
      };
      expectClose(
        got,
        want,
        Float64Array.from(conv.values, (_, i) => Math.abs(bias.values[i % 6]!)),
      );
    });
  }
});

describe('Conv2DBackpropInput', () => {
  it('matches float64 on random shapes: strides, same/valid/number/explicit padding, 1×1', () => {
    for (const c of convCases()) {
      const w = convWindows(c.x, c.filter, c.strides, [1, 1], c.pad);
      const dy = operand([c.x[0]!, w.outHeight, w.outWidth, c.filter[3]!]);
      const filter = operand(c.filter);
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
      const got = runKernel('Conv2DBackpropInput', { dy, filter }, attrs);
      expect(got.native, describeCase(c)).toBe(NATIVE);
      expectClose(
        got,
        conv2dBackpropInputReference(dy.values, c.x, filter.values, c.filter, w),
        undefined,
        describeCase(c),
      );
    }
  });
});

describe('Conv2DBackpropFilter', () => {
  it('matches float64 on random shapes: strides, same/valid/number/explicit padding, 1×1', () => {
    for (const c of convCases()) {
      const w = convWindows(c.x, c.filter, c.strides, [1, 1], c.pad);
      const x = operand(c.x);
      const dy = operand([c.x[0]!, w.outHeight, w.outWidth, c.filter[3]!]);
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
      const strided = c.strides[0] !== 1 || c.strides[1] !== 1;
      if (!NATIVE && strided) {
        // This package's wasm kernel handles stride 1 only, and says so.
        expect(() => runKernel('Conv2DBackpropFilter', { x, dy }, attrs), describeCase(c)).toThrow(
          /expected a stride-1 NHWC convolution/,
        );
        continue;
      }
      const got = runKernel('Conv2DBackpropFilter', { x, dy }, attrs);
      expect(got.native, describeCase(c)).toBe(NATIVE);
      expectClose(
        got,
        conv2dBackpropFilterReference(x.values, c.x, dy.values, c.filter, w),
        undefined,
        describeCase(c),
      );
    }
  });

  it('sums over more output pixels than one im2col block holds (16 × 28 × 28 pixels of 3×3×32 patches: 2 blocks of 8 MB)', () => {
    const c: ConvCase = { x: [16, 28, 28, 32], filter: [3, 3, 32, 8], strides: [1, 1], dilations: [1, 1], pad: 'same' };
    const w = convWindows(c.x, c.filter, c.strides, c.dilations, c.pad);
    const x = operand(c.x);
    const dy = operand([16, 28, 28, 8]);
    const got = runKernel('Conv2DBackpropFilter', { x, dy }, { ...convAttrs(c), filterShape: c.filter });
    expect(got.native).toBe(NATIVE);
    expectClose(got, conv2dBackpropFilterReference(x.values, c.x, dy.values, c.filter, w));
  });
});

describe('the wasm heap growing', () => {
  const heap = () => (tf.backend() as unknown as WasmBackendLike).wasm.HEAPF32;

  it('inside a kernel: an output larger than the whole heap is allocated first, the heap read after', () => {
    const before = heap();
    // 8 × n outputs of an 8 × 2 by 2 × n product: more floats than the heap holds, so makeOutput must grow it.
    const n = Math.ceil((before.length + (1 << 20)) / 8);
    const a = operand([8, 2]);
    const b = operand([2, n]);
    const got = runKernel('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    expect(got.native).toBe(NATIVE);
    // The memory grew: the old view is detached.
    expect(before.length).toBe(0);
    expectClose(got, matMulReference(a.values, a.shape, b.values, b.shape, false, false));
  });

  it('between calls: after a tensor bigger than the heap, every kernel still reads and writes the right places', () => {
    const c: ConvCase = { x: [2, 9, 8, 4], filter: [3, 3, 4, 5], strides: [2, 1], dilations: [1, 1], pad: 'same' };
    const w = convWindows(c.x, c.filter, c.strides, c.dilations, c.pad);
    const x = operand(c.x);
    const filter = operand(c.filter);
    const dy = operand([2, w.outHeight, w.outWidth, 5]);
    const a = operand([30, 20]);
    const b = operand([20, 10]);
    for (let round = 0; round < 2; round++) {
      const before = heap();
      const big = tf.zeros([before.length + (1 << 20)]);
      expect(before.length).toBe(0);
      const product = runKernel('BatchMatMul', { a, b }, {});
      expectClose(product, matMulReference(a.values, a.shape, b.values, b.shape, false, false));
      const y = runKernel('Conv2D', { x, filter }, convAttrs(c));
      expectClose(y, conv2dReference(x.values, x.shape, filter.values, filter.shape, w));
      const dx = runKernel('Conv2DBackpropInput', { dy, filter }, { ...convAttrs(c), inputShape: c.x });
      expectClose(dx, conv2dBackpropInputReference(dy.values, c.x, filter.values, c.filter, w));
      expect([product.native, y.native, dx.native]).toEqual([NATIVE, NATIVE, NATIVE]);
      big.dispose();
    }
  });
});

describe('setNativeKernels', () => {
  it('switches the native kernels off and on at run time; the wasm kernels below take over and give the same values', async () => {
    const a = operand([40, 30]);
    const b = operand([30, 20]);
    const off = await setNativeKernels(false);
    expect(off).toMatchObject({ enabled: false, reason: 'switched off by setNativeKernels(false)' });
    const onWasm = runKernel('BatchMatMul', { a, b }, {});
    expect(onWasm.native).toBe(false);
    const on = await setNativeKernels(NATIVE);
    expect(on.enabled).toBe(NATIVE);
    const again = runKernel('BatchMatMul', { a, b }, {});
    expect(again.native).toBe(NATIVE);
    const want = matMulReference(a.values, a.shape, b.values, b.shape, false, false);
    expectClose(onWasm, want);
    expectClose(again, want);
  });
});
