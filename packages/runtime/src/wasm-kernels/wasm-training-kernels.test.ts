import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '@empirical-bregman/common';
import { initBackend } from '../init-backend';
import { transposePlan } from './batch-mat-mul-transposed';
import { matrixTransposeShape } from './transpose-on-heap';

// Every replacement kernel is compared with the cpu backend's stock kernels: forward values and gradients. The native
// BLAS kernels stay off here (they would run the products and convolutions instead); they have their own tests.

const rng = new SeededRandom(2024);

/** Runs `f` on the cpu and on the wasm backend with the same inputs; returns both results as arrays. */
async function onBoth(
  inputs: { shape: number[]; values: Float32Array }[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
) {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const outs = tf.tidy(() => {
      const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
      const r = f(...xs);
      return Array.isArray(r) ? r : [r];
    });
    const data = await Promise.all(outs.map(async (o) => ({ shape: o.shape, values: await o.data() })));
    tf.dispose(outs);
    return data;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return { cpu, wasm };
}

function expectClose(a: { shape: number[]; values: ArrayLike<number> }[], b: typeof a, tol = 1e-4) {
  expect(b.length).toBe(a.length);
  for (let k = 0; k < a.length; k++) {
    expect(b[k]!.shape).toEqual(a[k]!.shape);
    let maxErr = 0;
    let scale = 1;
    for (let i = 0; i < a[k]!.values.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(a[k]!.values[i]! - b[k]!.values[i]!));
      scale = Math.max(scale, Math.abs(a[k]!.values[i]!));
    }
    expect(maxErr / scale).toBeLessThan(tol);
  }
}

function input(shape: number[]) {
  return { shape, values: rng.normalArray(shape.reduce((a, b) => a * b, 1)) };
}

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await initBackend({ force: 'wasm', env: {}, native: false, quiet: true });
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('Identity on wasm', () => {
  it('clones without copying: same values, independent lifetimes, exact tensor and byte counts', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    expect(tf.memory().numTensors).toBe(before.numTensors + 2);
    // One buffer shared by both tensors (the stock kernel allocated and copied a second one).
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4, 5, 6]);
    const v = tf.variable(y);
    const zeros = tf.zeros([2, 3]) as tf.Tensor2D;
    v.assign(zeros);
    // Assigning the variable swaps its data: the clone keeps its values.
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4, 5, 6]);
    tf.dispose([y, v, zeros]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    const ints = tf.tensor1d([3, -1], 'int32');
    const bools = tf.tensor1d([true, false], 'bool');
    const copies = [tf.clone(ints), tf.clone(bools)];
    expect(copies.map((c) => c.dtype)).toEqual(['int32', 'bool']);
    expect(Array.from(await copies[0]!.data())).toEqual([3, -1]);
    expect(Array.from(await copies[1]!.data())).toEqual([1, 0]);
    tf.dispose([ints, bools, ...copies]);
  });

  it('keeps gradients right where the tape clones saved tensors', async () => {
    const { cpu, wasm } = await onBoth([input([20, 6]), input([6, 4])], (x, w) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.softplus(tf.matMul(tf.relu(a), b))))([x!, w!]),
    );
    expectClose(cpu, wasm, 1e-5);
  });
});

describe('Slice on wasm', () => {
  it('matches cpu exactly: contiguous row blocks, strided windows in 2–5 dims, −1 sizes, number begins, empty', async () => {
    const cases: [number[], number | number[], (number | number[])?][] = [
      [
        [50, 7],
        [10, 0],
        [20, 7],
      ],
      [
        [50, 7],
        [3, 2],
        [5, 4],
      ],
      [[50, 7], 4],
      [
        [50, 7],
        [3, 1],
        [-1, 3],
      ],
      [
        [6, 5, 4],
        [1, 0, 0],
        [2, 5, 4],
      ],
      [
        [6, 5, 4],
        [1, 2, 1],
        [3, 2, 2],
      ],
      [
        [3, 4, 5, 6],
        [1, 1, 0, 2],
        [2, 2, 5, 3],
      ],
      [
        [2, 3, 4, 5, 6],
        [0, 1, 2, 0, 1],
        [2, 2, 2, 5, 4],
      ],
      [
        [50, 7],
        [10, 0],
        [0, 7],
      ],
    ];
    for (const [shape, begin, size] of cases) {
      const { cpu, wasm } = await onBoth([input(shape)], (x) => tf.slice(x!, begin, size));
      expect(wasm[0]!.shape).toEqual(cpu[0]!.shape);
      expect(Array.from(wasm[0]!.values)).toEqual(Array.from(cpu[0]!.values));
    }
  });

  it('slices int32 and bool tensors and passes a gradient back', async () => {
    await tf.setBackend('wasm');
    const ints = tf.tensor2d(
      Int32Array.from({ length: 30 }, (_, i) => i - 5),
      [5, 6],
      'int32',
    );
    const part = tf.slice(ints, [1, 2], [3, 3]);
    expect(part.dtype).toBe('int32');
    expect(Array.from(await part.data())).toEqual([3, 4, 5, 9, 10, 11, 15, 16, 17]);
    const flags = tf.tensor1d([true, false, true, true, false], 'bool');
    const someFlags = tf.slice(flags, 1, 3);
    expect(Array.from(await someFlags.data())).toEqual([0, 1, 1]);
    tf.dispose([ints, part, flags, someFlags]);
    const { cpu, wasm } = await onBoth([input([9, 4])], (x) =>
      tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.slice(v, [2, 1], [4, 2]))))(x!),
    );
    expect(Array.from(wasm[0]!.values)).toEqual(Array.from(cpu[0]!.values));
  });
});

describe('Transpose on wasm', () => {
  it('recognises a swap of the last two axes, and only that', () => {
    expect(matrixTransposeShape([4, 7], [1, 0])).toEqual({ batch: 1, rows: 4, cols: 7 });
    expect(matrixTransposeShape([2, 3, 4, 7], [0, 1, 3, 2])).toEqual({ batch: 6, rows: 4, cols: 7 });
    expect(matrixTransposeShape([2, 4, 7], [2, 1, 0])).toBeNull();
    expect(matrixTransposeShape([2, 4, 7], [1, 0, 2])).toBeNull();
    expect(matrixTransposeShape([5], [0])).toBeNull();
  });

  it('matches cpu exactly: sizes around and across the 32-wide tiles, batched, very wide (stock), other permutations, empty', async () => {
    const cases: [number[], number[]][] = [
      [
        [1, 1],
        [1, 0],
      ],
      [
        [5, 3],
        [1, 0],
      ],
      [
        [32, 32],
        [1, 0],
      ],
      [
        [33, 65],
        [1, 0],
      ],
      [
        [130, 97],
        [1, 0],
      ],
      [
        [3, 40, 35],
        [0, 2, 1],
      ],
      [
        [2, 2, 9, 31],
        [0, 1, 3, 2],
      ],
      [
        [4, 6, 5],
        [2, 0, 1],
      ],
      [
        [0, 5],
        [1, 0],
      ],
    ];
    for (const [shape, perm] of cases) {
      const { cpu, wasm } = await onBoth([input(shape)], (x) => tf.transpose(x!, perm));
      expect(wasm[0]!.shape).toEqual(cpu[0]!.shape);
      expect(Array.from(wasm[0]!.values)).toEqual(Array.from(cpu[0]!.values));
    }
  });

  it('transposes int32 and bool tensors and passes a gradient back', async () => {
    await tf.setBackend('wasm');
    const ints = tf.tensor2d(
      Int32Array.from({ length: 6 }, (_, i) => i - 2),
      [2, 3],
      'int32',
    );
    const flags = tf.tensor2d([true, false, false, true, true, false], [3, 2], 'bool');
    const [ti, tb] = [tf.transpose(ints), tf.transpose(flags)];
    expect(ti.dtype).toBe('int32');
    expect(Array.from(await ti.data())).toEqual([-2, 1, -1, 2, 0, 3]);
    expect(Array.from(await tb.data())).toEqual([1, 0, 1, 0, 1, 0]);
    tf.dispose([ints, flags, ti, tb]);
    const w = input([7, 3]);
    const { cpu, wasm } = await onBoth([input([7, 40]), w], (x, v) =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.matMul(tf.transpose(a), x!))))(v!),
    );
    expectClose(cpu, wasm);
  });
});

describe('Sum on wasm', () => {
  it('matches cpu over leading axes (one matMul), trailing and mixed axes, with and without keepDims', async () => {
    const cases: [number[], number | number[] | undefined][] = [
      [[37, 5], 0],
      [[37, 5], -2],
      [
        [6, 7, 9],
        [0, 1],
      ],
      [
        [6, 7, 9],
        [1, 0],
      ],
      [[6, 7, 9], 0],
      [[6, 7, 9], 2],
      [
        [6, 7, 9],
        [0, 2],
      ],
      [[6, 7, 9], undefined],
      [[1, 8], 0],
    ];
    for (const [shape, axis] of cases) {
      for (const keepDims of [false, true]) {
        const { cpu, wasm } = await onBoth([input(shape)], (x) => tf.sum(x!, axis, keepDims));
        expectClose(cpu, wasm, 1e-5);
      }
    }
    // A large sum: the matMul's accumulation stays as accurate as the float32 data allow.
    const { cpu, wasm } = await onBoth([input([4096, 3])], (x) => tf.sum(tf.add(x!, 3), 0));
    expectClose(cpu, wasm, 1e-5);
  });

  it('gives bias and broadcast gradients like cpu, and sums int32 with the stock kernel', async () => {
    const { cpu, wasm } = await onBoth([input([50, 8]), input([8])], (x, b) =>
      tf.grads((u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.square(tf.add(u, v))))([x!, b!]),
    );
    expectClose(cpu, wasm, 1e-5);
    await tf.setBackend('wasm');
    const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const s = tf.sum(ints, 0);
    expect(s.dtype).toBe('int32');
    expect(Array.from(await s.data())).toEqual([9, 12]);
    tf.dispose([ints, s]);
  });
});

describe('transposePlan', () => {
  it('transposes the product when that moves fewer values than transposing the flagged operands', () => {
    // dDᵀ·X: 1M values to transpose dD, against 131k (X) + 131k (the product).
    expect(transposePlan([1024, 1024], [1024, 128], true, false)).toBe('result');
    // X·Wᵀ with a small W: transposing W (8k) beats transposing X and the product.
    expect(transposePlan([256, 784], [10, 784], false, true)).toBe('operands');
    // Aᵀ·Bᵀ = (B·A)ᵀ: only the product moves; cheaper when it is smaller than both operands.
    expect(transposePlan([100, 10], [10, 100], true, true)).toBe('result');
    expect(transposePlan([10, 100], [100, 10], true, true)).toBe('operands');
    // Batched, with a broadcast batch dimension.
    expect(transposePlan([4, 64, 64], [1, 64, 2], true, false)).toBe('result');
  });
});

describe('BatchMatMul with transposes on wasm', () => {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches cpu with transposeA=${transposeA}, transposeB=${transposeB} (2-D, batched, broadcast), values and gradients`, async () => {
      const cases: [number[], number[]][] = [
        [transposeA ? [7, 5] : [5, 7], transposeB ? [3, 7] : [7, 3]],
        [transposeA ? [4, 9, 6] : [4, 6, 9], transposeB ? [4, 2, 9] : [4, 9, 2]],
        [transposeA ? [1, 1] : [1, 1], transposeB ? [6, 1] : [1, 6]],
        // Shapes where transposing the product is cheaper than transposing a large operand (see transposePlan).
        [[40, 40], transposeB ? [3, 40] : [40, 3]],
        [transposeA ? [40, 3] : [3, 40], [40, 40]],
        [transposeA ? [2, 30, 30] : [2, 30, 30], transposeB ? [2, 4, 30] : [2, 30, 4]],
      ];
      for (const [sa, sb] of cases) {
        const { cpu, wasm } = await onBoth([input(sa), input(sb)], (a, b) => {
          const y = tf.matMul(a!, b!, transposeA, transposeB);
          const grads = tf.grads((x: tf.Tensor, w: tf.Tensor) =>
            tf.sum(tf.square(tf.matMul(x, w, transposeA, transposeB))),
          )([a!, b!]);
          return [y, ...grads];
        });
        expectClose(cpu, wasm);
      }
      // A broadcast batch dimension: forward only (tfjs 4.22 has no gradient for broadcast batches on any backend).
      const { cpu, wasm } = await onBoth(
        [input(transposeA ? [3, 8, 5] : [3, 5, 8]), input(transposeB ? [1, 4, 8] : [1, 8, 4])],
        (a, b) => tf.matMul(a!, b!, transposeA, transposeB),
      );
      expectClose(cpu, wasm);
    });
  }

  it('matches cpu for the fused matMul (bias + relu) with transposes, values and gradients', async () => {
    const { cpu, wasm } = await onBoth([input([9, 6]), input([4, 9]), input([4])], (a, b, bias) => {
      const f = (x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) =>
        tf.fused.matMul({
          a: x as tf.Tensor2D,
          b: w as tf.Tensor2D,
          transposeA: true,
          transposeB: true,
          bias: c,
          activation: 'relu',
        });
      return [
        f(a!, b!, bias!),
        ...tf.grads((x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) => tf.sum(f(x, w, c)))([a!, b!, bias!]),
      ];
    });
    expectClose(cpu, wasm);
  });
});

describe('Conv2D gradients on wasm', () => {
  const configs: { name: string; x: number[]; w: number[]; pad: 'valid' | 'same' }[] = [
    { name: '3x3 same', x: [2, 7, 6, 3], w: [3, 3, 3, 4], pad: 'same' },
    { name: '3x3 valid', x: [3, 8, 5, 2], w: [3, 3, 2, 5], pad: 'valid' },
    { name: '2x2 same (asymmetric padding)', x: [2, 5, 6, 1], w: [2, 2, 1, 3], pad: 'same' },
    { name: '5x3 same', x: [1, 9, 7, 4], w: [5, 3, 4, 2], pad: 'same' },
    { name: '1x1 valid', x: [4, 3, 3, 6], w: [1, 1, 6, 2], pad: 'valid' },
  ];
  for (const c of configs) {
    it(`filter and input gradients match cpu for ${c.name}`, async () => {
      const [b, h, wd] = c.x as [number, number, number];
      const [kh, kw, , o] = c.w as [number, number, number, number];
      const outShape = c.pad === 'same' ? [b, h, wd, o] : [b, h - kh + 1, wd - kw + 1, o];
      const { cpu, wasm } = await onBoth([input(c.x), input(c.w), input(outShape)], (x, w, dy) => {
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad);
        return [f(x!, w!), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), dy!)))([x!, w!])];
      });
      expectClose(cpu, wasm);
    });
  }

  it('falls back to the stock input gradient for stride 2, and names the limit for the filter gradient', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([1, 8, 8, 2]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 2, 2]) as tf.Tensor4D;
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, 2, 'same')))(x);
    expect(dx.shape).toEqual([1, 8, 8, 2]);
    expect(() => tf.grad((b: tf.Tensor) => tf.sum(tf.conv2d(x, b as tf.Tensor4D, 2, 'same')))(w)).toThrow(
      /Conv2DBackpropFilter \(wasm, @empirical-bregman\/runtime\): expected a stride-1 NHWC convolution, got strides \[2, 2\]/,
    );
    tf.dispose([x, w, dx]);
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  it('adds rows that share a segment, like cpu', async () => {
    const ids = [3, 0, 3, 1, 3, 0, 4];
    const { cpu, wasm } = await onBoth([input([7, 5])], (x) => tf.unsortedSegmentSum(x!, tf.tensor1d(ids, 'int32'), 6));
    expectClose(cpu, wasm, 1e-6);
    // Segment 2 and 5 receive nothing and must be exactly zero.
    expect(Array.from(wasm[0]!.values.slice(10, 15))).toEqual([0, 0, 0, 0, 0]);
  });

  it('gives tf.gather a gradient, also with repeated indices and 3-D data', async () => {
    const idx = [2, 2, 0, 5, 2, 1];
    const { cpu, wasm } = await onBoth([input([6, 3, 4])], (x) =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.gather(a, tf.tensor1d(idx, 'int32')))))(x!),
    );
    expectClose(cpu, wasm, 1e-6);
  });

  it('rejects a segment id outside [0, numSegments)', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.unsortedSegmentSum(tf.ones([3, 2]), tf.tensor1d([0, 5, 1], 'int32'), 3)).toThrow(
      /expected segment ids below numSegments = 3, got 5 at position 1/,
    );
  });
});
