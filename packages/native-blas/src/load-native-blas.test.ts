import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '@empirical-bregman/common';
import { type ConvGeometry, convGeometry } from './conv-geometry';
import { defaultNativeBlasThreads, loadNativeBlas } from './load-native-blas';
import { FUSED_ACTIVATION_CODES, type NativeBlasAddon } from './native-blas-addon';

// The addon on a plain Float32Array (runtime's tests drive it through tfjs on the wasm heap). The addon is part of
// what these tests test: when it is not built they fail with the one line that says how to build it.

let blas: NativeBlasAddon;
beforeAll(() => {
  const native = loadNativeBlas();
  if (!native.ok) throw new Error(`native-blas: ${native.reason}`);
  blas = native.blas;
});

const rng = new SeededRandom(23);

/** A heap with `sizes` random blocks placed after a gap each (so offsets are not 0); returns the blocks' offsets. */
function heapWith(sizes: number[], gap = 5): { heap: Float32Array; offsets: number[] } {
  const offsets: number[] = [];
  let end = 0;
  for (const size of sizes) {
    offsets.push(end + gap);
    end += gap + size;
  }
  return { heap: rng.normalArray(end + gap), offsets };
}

/** op(A)·op(B) in float64, and Σ|a||b| per element (the scale of its rounding error). */
function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean) {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      for (let p = 0; p < k; p++) {
        const product = a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
        value[i * n + j]! += product;
        scale[i * n + j]! += Math.abs(product);
      }
  return { value, scale };
}

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number> | number, tol: number) {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const s = typeof scale === 'number' ? scale : scale[i]!;
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(s, 1e-30));
  }
  expect(worst).toBeLessThan(tol);
}

describe('loadNativeBlas', () => {
  it('names OpenBLAS and its code path, and sets 2 threads (at most the cores) on the main thread', () => {
    const native = loadNativeBlas();
    expect(native.ok && native.library).toMatch(/^OpenBLAS \d+\.\d+\.\d+$/);
    expect(native.ok && native.core.length).toBeGreaterThan(0);
    expect(blas.threads()).toBe(defaultNativeBlasThreads());
    expect(loadNativeBlas()).toBe(native);
    blas.setThreads(1);
    expect(blas.threads()).toBe(1);
    blas.setThreads(defaultNativeBlasThreads());
  });
});

describe('gemmBatch', () => {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches float64 within 1e-6 · Σ|a||b|, transA=${ta} transB=${tb}, 3 products at arbitrary offsets`, () => {
      const [m, n, k, count] = [7, 5, 11, 3];
      const { heap, offsets } = heapWith(Array.from({ length: 3 * count }, (_, i) => [m * k, k * n, m * n][i % 3]!));
      blas.gemmBatch(heap, Int32Array.from(offsets), m, n, k, ta, tb);
      for (let i = 0; i < count; i++) {
        const [a, b, c] = offsets.slice(3 * i, 3 * i + 3) as [number, number, number];
        const ref = reference(heap.subarray(a, a + m * k), heap.subarray(b, b + k * n), m, n, k, ta, tb);
        expectNear(heap.subarray(c, c + m * n), ref.value, ref.scale, 1e-6);
      }
    });
  }

  it('writes exact zeros for k = 0 and leaves everything else alone', () => {
    const { heap, offsets } = heapWith([0, 0, 12]);
    const before = Float32Array.from(heap);
    blas.gemmBatch(heap, Int32Array.from(offsets), 3, 4, 0, false, true);
    const c = offsets[2]!;
    expect(Array.from(heap.subarray(c, c + 12))).toEqual(Array(12).fill(0));
    expect(Array.from(heap.subarray(0, c))).toEqual(Array.from(before.subarray(0, c)));
    expect(Array.from(heap.subarray(c + 12))).toEqual(Array.from(before.subarray(c + 12)));
  });

  it('rejects ranges outside the heap, a wrong heap type and a bad offset count, before writing anything', () => {
    const heap = new Float32Array(40);
    expect(() => blas.gemmBatch(heap, Int32Array.from([0, 4, 38]), 2, 2, 2, false, false)).toThrow(
      /native-blas gemmBatch: expected C \[38, 42\) inside the heap of 40 floats/,
    );
    expect(() => blas.gemmBatch(heap, Int32Array.from([-1, 4, 8]), 2, 2, 2, false, false)).toThrow(/expected A/);
    expect(() =>
      blas.gemmBatch(new Float64Array(40) as never, Int32Array.from([0, 4, 8]), 2, 2, 2, false, false),
    ).toThrow(/expected a Float32Array heap/);
    expect(() => blas.gemmBatch(heap, Int32Array.from([0, 4]), 2, 2, 2, false, false)).toThrow(/3 offsets/);
    expect(Array.from(heap)).toEqual(Array(40).fill(0));
    // A detached heap (wasm memory that grew) has length 0: every non-empty range is outside it.
    const buffer = new ArrayBuffer(64);
    const stale = new Float32Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => blas.gemmBatch(stale, Int32Array.from([0, 4, 8]), 2, 2, 2, false, false)).toThrow(
      /inside the heap of 0 floats/,
    );
  });
});

describe('biasActivation', () => {
  const float64: Record<string, (v: number, slope: number, alpha: number) => number> = {
    linear: (v) => v,
    relu: (v) => Math.max(v, 0),
    relu6: (v) => Math.min(Math.max(v, 0), 6),
    prelu: (v, slope) => (v < 0 ? slope * v : v),
    leakyrelu: (v, _, alpha) => (v < 0 ? alpha * v : v),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    elu: (v) => (v < 0 ? Math.expm1(v) : v),
  };
  for (const [name, code] of Object.entries(FUSED_ACTIVATION_CODES)) {
    it(`adds a per-column bias and applies ${name} like float64 (n bias values, then 1 shared)`, () => {
      const [rows, n] = [6, 4];
      for (const biasSize of [n, 1]) {
        const { heap, offsets } = heapWith([rows * n, biasSize, n]);
        const [out, bias, slopes] = offsets as [number, number, number];
        for (let i = 0; i < rows * n; i++) heap[out + i] = 4 * heap[out + i]!; // reach relu6's cap and elu's tail
        const before = Float32Array.from(heap);
        blas.biasActivation(heap, out, rows * n, n, bias, biasSize, code, 0.2, slopes, n);
        const want = Array.from({ length: rows * n }, (_, i) =>
          float64[name]!(
            before[out + i]! + before[bias + (biasSize === 1 ? 0 : i % n)]!,
            before[slopes + (i % n)]!,
            0.2,
          ),
        );
        expectNear(heap.subarray(out, out + rows * n), want, 1, 1e-6);
      }
    });
  }

  it('rejects a bias that is neither 1 nor n values, and an unknown activation', () => {
    const heap = new Float32Array(30);
    expect(() => blas.biasActivation(heap, 0, 12, 4, 20, 3, 0, 0, -1, 0)).toThrow(/expected 1 or n bias values/);
    expect(() => blas.biasActivation(heap, 0, 12, 4, -1, 0, 9, 0, -1, 0)).toThrow(/activation code/);
    expect(() => blas.biasActivation(heap, 0, 12, 5, -1, 0, 0, 0, -1, 0)).toThrow(/multiple of n/);
  });
});

describe('conv2d and its gradients', () => {
  const sizes = (g: ConvGeometry) => ({
    x: g.batch * g.inHeight * g.inWidth * g.inChannels,
    w: g.filterHeight * g.filterWidth * g.inChannels * g.outChannels,
    y: g.batch * g.outHeight * g.outWidth * g.outChannels,
  });

  /** The direct definition in float64. */
  function conv(g: ConvGeometry, x: Float32Array, w: Float32Array): Float64Array {
    const y = new Float64Array(sizes(g).y);
    for (let b = 0; b < g.batch; b++)
      for (let oy = 0; oy < g.outHeight; oy++)
        for (let ox = 0; ox < g.outWidth; ox++)
          for (let i = 0; i < g.filterHeight; i++)
            for (let j = 0; j < g.filterWidth; j++) {
              const iy = oy * g.strideHeight - g.padTop + i * g.dilationHeight;
              const ix = ox * g.strideWidth - g.padLeft + j * g.dilationWidth;
              if (iy < 0 || iy >= g.inHeight || ix < 0 || ix >= g.inWidth) continue;
              for (let c = 0; c < g.inChannels; c++)
                for (let o = 0; o < g.outChannels; o++)
                  y[((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + o]! +=
                    x[((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c]! *
                    w[((i * g.filterWidth + j) * g.inChannels + c) * g.outChannels + o]!;
            }
    return y;
  }

  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    return s;
  };

  const geometries: ConvGeometry[] = [
    // 3×3, stride 2 × 1, padding 1 on top and left, dilation 1
    {
      batch: 2,
      inHeight: 7,
      inWidth: 6,
      inChannels: 3,
      outHeight: 4,
      outWidth: 6,
      outChannels: 5,
      filterHeight: 3,
      filterWidth: 3,
      strideHeight: 2,
      strideWidth: 1,
      dilationHeight: 1,
      dilationWidth: 1,
      padTop: 1,
      padLeft: 1,
    },
    // 2×3 dilated by 2, 'valid'
    {
      batch: 1,
      inHeight: 8,
      inWidth: 9,
      inChannels: 2,
      outHeight: 6,
      outWidth: 5,
      outChannels: 3,
      filterHeight: 2,
      filterWidth: 3,
      strideHeight: 1,
      strideWidth: 1,
      dilationHeight: 2,
      dilationWidth: 2,
      padTop: 0,
      padLeft: 0,
    },
    // 1×1, stride 1, no padding: the input is its own patch matrix
    {
      batch: 3,
      inHeight: 4,
      inWidth: 5,
      inChannels: 6,
      outHeight: 4,
      outWidth: 5,
      outChannels: 2,
      filterHeight: 1,
      filterWidth: 1,
      strideHeight: 1,
      strideWidth: 1,
      dilationHeight: 1,
      dilationWidth: 1,
      padTop: 0,
      padLeft: 0,
    },
  ];

  for (const g of geometries) {
    it(`conv2d matches float64, and both gradients satisfy ⟨conv(x, w), dy⟩ = ⟨x, dx⟩ = ⟨w, dw⟩ (${g.filterHeight}×${g.filterWidth}, stride ${g.strideHeight}×${g.strideWidth}, dilation ${g.dilationHeight})`, () => {
      const s = sizes(g);
      const { heap, offsets } = heapWith([s.x, s.w, s.y, s.y, s.x, s.w]);
      const [x, w, y, dy, dx, dw] = offsets as [number, number, number, number, number, number];
      const geometry = convGeometry(g);
      const view = (at: number, n: number) => heap.subarray(at, at + n);
      blas.conv2d(heap, x, w, y, geometry);
      const want = conv(g, view(x, s.x), view(w, s.w));
      const scale = Math.max(...want.map(Math.abs));
      expectNear(view(y, s.y), want, scale, 1e-6);
      blas.conv2dBackpropInput(heap, dy, w, dx, geometry);
      blas.conv2dBackpropFilter(heap, x, dy, dw, geometry);
      // The adjoint identities in float64: each side is one number, so a wrong index anywhere shows.
      const lhs = dot(want, view(dy, s.y));
      const norm = Math.sqrt(dot(want, want) * dot(view(dy, s.y), view(dy, s.y)));
      expect(Math.abs(dot(view(x, s.x), view(dx, s.x)) - lhs) / norm).toBeLessThan(1e-5);
      expect(Math.abs(dot(view(w, s.w), view(dw, s.w)) - lhs) / norm).toBeLessThan(1e-5);
    });
  }

  it('rejects a geometry of the wrong length and tensors that do not fit the heap', () => {
    const g = geometries[0]!;
    const heap = new Float32Array(sizes(g).x + sizes(g).w + sizes(g).y - 1);
    expect(() => blas.conv2d(heap, 0, 0, 0, new Int32Array(14))).toThrow(/geometry of 15 integers/);
    expect(() => blas.conv2d(heap, 0, sizes(g).x, sizes(g).x + sizes(g).w, convGeometry(g))).toThrow(
      /native-blas conv2d: expected y \[\d+, \d+\) inside the heap/,
    );
    expect(() => blas.conv2d(heap, 0, 0, 0, convGeometry({ ...g, strideWidth: 0 }))).toThrow(/strides and dilations/);
  });
});

describe('adamUpdate', () => {
  const [beta1, beta2, epsilon, learningRate] = [0.9, 0.999, 1e-7, 0.01];
  const f = Math.fround;
  /** tfjs's Adam step op by op, each op rounded to float32 (Math.fround of a double op is the float32 op, exactly). */
  function float32Step(x: number, m: number, v: number, g: number, acc1: number, acc2: number) {
    const m1 = f(f(m * f(beta1)) + f(g * f(1 - beta1)));
    const v1 = f(f(v * f(beta2)) + f(f(g * g) * f(1 - beta2)));
    const step = f(f(m1 / f(1 - acc1)) / f(f(Math.sqrt(f(v1 / f(1 - acc2)))) + f(epsilon)));
    return { x: f(f(step * f(-learningRate)) + x), m: m1, v: v1 };
  }
  /** The same step in float64. */
  function float64Step(x: number, m: number, v: number, g: number, acc1: number, acc2: number) {
    const m1 = m * beta1 + g * (1 - beta1);
    const v1 = v * beta2 + g * g * (1 - beta2);
    return { x: x - (learningRate * (m1 / (1 - acc1))) / (Math.sqrt(v1 / (1 - acc2)) + epsilon), m: m1, v: v1 };
  }
  const call = (heap: Float32Array, offsets: number[], count: number) =>
    blas.adamUpdate(heap, Int32Array.from(offsets), count, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, -learningRate);

  /** x, m, v, g of `count` values, then β₁ᵗ and β₂ᵗ of step 3, then room for x', m', v'. */
  function adamHeap(count: number) {
    const { heap, offsets } = heapWith([count, count, count, count, 1, 1, count, count, count]);
    const [, m, v, , acc1, acc2] = offsets as [number, number, number, number, number, number];
    for (let i = 0; i < count; i++) {
      heap[m + i] = f(0.1 * heap[m + i]!);
      heap[v + i] = f(0.01 * heap[v + i]! ** 2);
    }
    heap[acc1] = f(f(f(beta1) * f(beta1)) * f(beta1));
    heap[acc2] = f(f(f(beta2) * f(beta2)) * f(beta2));
    return { heap, offsets };
  }

  it("equals tfjs's float32 arithmetic bit for bit, and float64 within 1e-5 · lr, on 1001 values (vector lanes and a remainder)", () => {
    const count = 1001;
    const { heap, offsets } = adamHeap(count);
    const before = Float32Array.from(heap);
    call(heap, offsets, count);
    const [x, m, v, g, acc1, acc2, ox, om, ov] = offsets as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const at = (a: Float32Array, o: number, i: number) => a[o + i]!;
    for (let i = 0; i < count; i++) {
      const args = [
        at(before, x, i),
        at(before, m, i),
        at(before, v, i),
        at(before, g, i),
        before[acc1]!,
        before[acc2]!,
      ] as const;
      const want = float32Step(...args);
      expect([heap[ox + i], heap[om + i], heap[ov + i]], `value ${i}`).toEqual([want.x, want.m, want.v]);
      const exact = float64Step(...args);
      expect(Math.abs(heap[ox + i]! - exact.x), `value ${i}`).toBeLessThan(
        1e-5 * learningRate + 1e-7 * Math.abs(exact.x),
      );
    }
    // The inputs are left as they were.
    expect(Array.from(heap.subarray(0, ox))).toEqual(Array.from(before.subarray(0, ox)));
  });

  it('gives the same values when it writes over its inputs (x′ = x, m′ = m, v′ = v)', () => {
    const count = 37;
    const { heap, offsets } = adamHeap(count);
    const copy = Float32Array.from(heap);
    call(copy, offsets, count);
    const inPlace = [...offsets.slice(0, 6), offsets[0]!, offsets[1]!, offsets[2]!];
    call(heap, inPlace, count);
    for (const [input, output] of [
      [0, 6],
      [1, 7],
      [2, 8],
    ] as const) {
      const [o, p] = [offsets[input]!, offsets[output]!];
      expect(Array.from(heap.subarray(o, o + count))).toEqual(Array.from(copy.subarray(p, p + count)));
    }
  });

  it('rejects ranges outside the heap and a wrong number of offsets, before writing anything', () => {
    const heap = new Float32Array(40);
    expect(() => call(heap, [0, 4, 8, 12, 16, 17, 18, 22, 37], 4)).toThrow(
      /native-blas adamUpdate: expected v' \[37, 41\) inside the heap of 40 floats/,
    );
    expect(() => call(heap, [0, 4, 8, 12, 40, 17, 18, 22, 26], 4)).toThrow(/expected accBeta1 \[40, 41\)/);
    expect(() => call(heap, [0, 4, 8], 4)).toThrow(/expected 9 offsets/);
    expect(() => call(heap, [0, 4, 8, 12, 16, 17, 18, 22, 9], 4)).toThrow(
      /expected v' on its input's range or apart from the others, got it overlapping v$/,
    );
    expect(() => call(heap, [0, 4, 8, 12, 16, 17, 4, 22, 26], 4)).toThrow(/expected x' .* overlapping m$/);
    expect(() => call(heap, [0, 4, 8, 12, 16, 17, 18, 22, 26], -1)).toThrow(/non-negative count/);
    expect(Array.from(heap)).toEqual(Array(40).fill(0));
  });
});

describe('maxPoolGrad', () => {
  // One image, 3 × 4 pixels, 2 channels; 2×2 windows, stride 2 across, 1 down, no padding: 2 × 2 outputs.
  const geometry = convGeometry({
    batch: 1,
    inHeight: 3,
    inWidth: 4,
    inChannels: 2,
    outHeight: 2,
    outWidth: 2,
    outChannels: 2,
    filterHeight: 2,
    filterWidth: 2,
    strideHeight: 1,
    strideWidth: 2,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: 0,
    padLeft: 0,
  });

  it('gives each window its dy at the first strictly greatest input, summing where windows share it (by hand)', () => {
    // Channel 0 (rows): 1 5 2 2 / 5 0 3 −1 / 9 9 −1 −1. Channel 1: every value −7, so every window ties.
    const channel0 = [1, 5, 2, 2, 5, 0, 3, -1, 9, 9, -1, -1];
    const x = channel0.flatMap((v) => [v, -7]);
    const dy = [0.5, 10, 2, 20, 4, 30, 8, 40];
    const heap = new Float32Array(3 + 24 + 8 + 24);
    heap.set(x, 3);
    heap.set(dy, 27);
    blas.maxPoolGrad(heap, 3, 27, 35, geometry);
    // Channel 0: window (0,0) {1,5,5,0} → the 5 at (0,1) (first of the tie); (0,1) {2,2,3,−1} → 3 at (1,2);
    // (1,0) {5,0,9,9} → 9 at (2,0); (1,1) {3,−1,−1,−1} → 3 at (1,2) again: 2 + 8. Channel 1: each window's first tap.
    const want0 = [0, 0.5, 0, 0, 0, 0, 10, 0, 4, 0, 0, 0];
    const want1 = [10, 0, 20, 0, 30, 0, 40, 0, 0, 0, 0, 0];
    expect(Array.from(heap.subarray(35))).toEqual(want0.flatMap((v, i) => [v, want1[i]!]));
  });

  it('rejects tensors that do not fit the heap and unequal channel counts, before writing anything', () => {
    const heap = new Float32Array(24 + 8 + 23);
    expect(() => blas.maxPoolGrad(heap, 0, 24, 32, geometry)).toThrow(
      /native-blas maxPoolGrad: expected dx \[32, 56\) inside the heap of 55 floats/,
    );
    const uneven = geometry.slice();
    uneven[6] = 3;
    expect(() => blas.maxPoolGrad(heap, 0, 24, 31, uneven)).toThrow(/as many output channels as input channels/);
    expect(Array.from(heap)).toEqual(Array(55).fill(0));
  });
});

describe('averageSlots', () => {
  /** runtime's SharedGradientAverage loop, written out: float32 sum in worker order, then · (1/workers) rounded once. */
  function jsAverage(slots: Float32Array, base: number, workers: number, size: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      let sum = slots[base + i]!;
      for (let w = 1; w < workers; w++) sum = Math.fround(sum + slots[base + w * size + i]!);
      out[i] = sum * (1 / workers);
    }
    return out;
  }

  it('gives the bits of the float32 loop for 1, 2, 3 and 5 workers, from a SharedArrayBuffer into any offset', () => {
    for (const workers of [1, 2, 3, 5]) {
      for (const size of [0, 1, 7, 1000, 4099]) {
        const base = 3;
        const slots = new Float32Array(new SharedArrayBuffer((base + workers * size + 2) * 4));
        // Values over many binades, and subnormals, where halving rounds.
        slots.set(rng.normalArray(slots.length).map((v, i) => v * 2 ** ((i % 60) - 30)));
        for (let i = 0; i < slots.length; i += 97) slots[i] = 3e-45 * (i % 5);
        const out = new Float32Array(size + 9).fill(Number.NaN);
        blas.averageSlots(slots, base, workers, size, out, 4);
        expect(out.subarray(4, 4 + size), `${workers} workers, ${size}`).toEqual(jsAverage(slots, base, workers, size));
        expect(Number.isNaN(out[3]!) && (size + 4 >= out.length || Number.isNaN(out[4 + size]!))).toBe(true);
      }
    }
  });

  it('checks every range and refuses overlapping ones before writing', () => {
    const slots = new Float32Array(20);
    const out = new Float32Array(10);
    expect(() => blas.averageSlots(slots, 12, 2, 5, out, 0)).toThrow(
      /native-blas averageSlots: expected slots \[12, 22\) inside the heap of 20 floats/,
    );
    expect(() => blas.averageSlots(slots, 0, 2, 5, out, 6)).toThrow(/expected out \[6, 11\) inside the heap of 10/);
    expect(() => blas.averageSlots(slots, 0, 0, 5, out, 0)).toThrow(/expected at least 1 worker/);
    expect(() => blas.averageSlots(slots, 0, 2, 5, slots, 8)).toThrow(/expected out apart from the slots/);
    expect(() => blas.averageSlots(slots, 0, 2, 5, new Int32Array(5) as never, 0)).toThrow(/expected a Float32Array/);
  });
});
