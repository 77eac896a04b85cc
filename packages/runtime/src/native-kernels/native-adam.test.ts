import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@empirical-bregman/common';
import { loadOptimizerState, readOptimizerState } from '../optimizer-state';
import { NATIVE_RUN, nativeKernelTestHooks } from '../testing/native-kernel-test-run';
import type { WasmBackendLike } from '../wasm-kernels/kernel-types';
import { NATIVE_ADAM_KERNEL } from './native-adam';
import { nativeCallCount } from './native-kernel-calls';
import { setNativeKernels } from './native-kernels';

// The fused native Adam step against a float64 Adam and against tfjs's own AdamOptimizer. The package's test script
// runs this file twice: native kernels on (tf.AdamOptimizer steps natively) and BREGMAN_NATIVE=0 (tfjs's own step,
// which every case must then match just the same); each case checks which path ran.

const rng = new SeededRandom(77);
const SHAPES = [[7, 5], [3], [], [2, 3, 4]];

// Every case leaves the kernels as the run started them, and frees what it made.
nativeKernelTestHooks();

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A variable holding `values`, without leaving the initial tensor behind. */
function variableOf(values: Float32Array, shape: number[]): tf.Variable {
  const t = tf.tensor(values, shape);
  const v = tf.variable(t);
  t.dispose();
  return v;
}

/** Initial values and one gradient per step for each shape, fixed for a test. */
function problem(shapes: number[][], steps: number) {
  return {
    initial: shapes.map((s) => rng.normalArray(size(s))),
    gradients: Array.from({ length: steps }, () => shapes.map((s) => rng.normalArray(size(s)).map((g) => 0.5 * g))),
  };
}

interface Run {
  weights: Float32Array[];
  /**
   * getWeights(): the iteration count, then every first and every second moment, as tfjs orders them; each name
   * with the variable's generated name replaced by its index ("iter", "0/m", …, "3/v").
   */
  state: { name: string; values: number[] }[];
  accBeta: number[];
  nativeCalls: number;
}

/**
 * Adam (`make()`) over `steps` of `p`, with the native kernels as `native` says (never on when the run has them off).
 * `gradientOf` may drop or reshape a gradient; `asArray` passes them as tfjs's NamedTensor[] instead of a map.
 */
async function train(
  shapes: number[][],
  p: ReturnType<typeof problem>,
  native: boolean,
  make: () => tf.AdamOptimizer = () => tf.train.adam(0.01),
  options: { asArray?: boolean; gradientOf?: (g: tf.Tensor, variable: number) => tf.Tensor | null } = {},
): Promise<Run> {
  await setNativeKernels(native && NATIVE_RUN);
  const variables = shapes.map((s, i) => variableOf(p.initial[i]!, s));
  const optimizer: tf.Optimizer = make();
  const before = nativeCallCount(NATIVE_ADAM_KERNEL);
  for (const step of p.gradients) {
    const tensors = variables.map((v, i) => {
      const g = tf.tensor(step[i]!, v.shape);
      return options.gradientOf ? options.gradientOf(g, i) : g;
    });
    if (options.asArray) {
      // A null tensor (a variable without a gradient this step) as tfjs's own callers may pass it.
      optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: tensors[i] as tf.Tensor })));
    } else {
      const map: tf.NamedTensorMap = {};
      for (const [i, v] of variables.entries()) if (tensors[i]) map[v.name] = tensors[i]!;
      optimizer.applyGradients(map);
    }
    tf.dispose(tensors.filter((t): t is tf.Tensor => t !== null));
  }
  const nativeCalls = nativeCallCount(NATIVE_ADAM_KERNEL) - before;
  const named = await optimizer.getWeights();
  const indexOf = new Map(variables.map((v, i) => [v.name, String(i)]));
  const state = named.map(({ name, tensor }) => ({
    name: name.replace(/^(.*)\/([mv])$/, (_, variable: string, moment: string) => `${indexOf.get(variable)}/${moment}`),
    values: Array.from(tensor.dataSync()),
  }));
  for (const { tensor } of named) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  const internals = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
  const accBeta = [internals.accBeta1.dataSync()[0]!, internals.accBeta2.dataSync()[0]!];
  const weights = variables.map((v) => Float32Array.from(v.dataSync()));
  optimizer.dispose();
  tf.dispose(variables);
  return { weights, state, accBeta, nativeCalls };
}

/** Adam in float64 (β₁ᵗ and β₂ᵗ exact), the update tfjs's AdamOptimizer computes. */
function float64Adam(p: ReturnType<typeof problem>, lr: number, beta1: number, beta2: number, epsilon: number) {
  const x = p.initial.map((v) => Float64Array.from(v));
  const m = x.map((v) => new Float64Array(v.length));
  const v2 = x.map((v) => new Float64Array(v.length));
  p.gradients.forEach((step, t) => {
    const [c1, c2] = [1 - beta1 ** (t + 1), 1 - beta2 ** (t + 1)];
    step.forEach((g, i) => {
      for (let j = 0; j < g.length; j++) {
        m[i]![j] = beta1 * m[i]![j]! + (1 - beta1) * g[j]!;
        v2[i]![j] = beta2 * v2[i]![j]! + (1 - beta2) * g[j]! ** 2;
        x[i]![j]! -= (lr * (m[i]![j]! / c1)) / (Math.sqrt(v2[i]![j]! / c2) + epsilon);
      }
    });
  });
  return x;
}

describe('fused native Adam (tf.AdamOptimizer.applyGradients)', () => {
  it(`runs ${NATIVE_RUN ? 'one native pass per variable while the native kernels are on, tfjs’s own after setNativeKernels(false)' : 'tfjs’s own step (BREGMAN_NATIVE=0)'}`, async () => {
    const p = problem(SHAPES, 3);
    expect((await train(SHAPES, p, true)).nativeCalls).toBe(NATIVE_RUN ? 3 * SHAPES.length : 0);
    expect((await train(SHAPES, p, false)).nativeCalls).toBe(0);
  });

  it('matches Adam in float64 over 6 steps on variables of 4 shapes (scalar included), with its own β₁, β₂, ε', async () => {
    const [lr, beta1, beta2, epsilon] = [0.02, 0.8, 0.95, 1e-4];
    const p = problem(SHAPES, 6);
    const run = await train(SHAPES, p, true, () => tf.train.adam(lr, beta1, beta2, epsilon));
    const want = float64Adam(p, lr, beta1, beta2, epsilon);
    // Float32 rounding: of x itself (2⁻²⁴|x|) and of each step's ≈ 10 operations on a value of size ≤ lr.
    for (const [i, got] of run.weights.entries()) {
      for (let j = 0; j < got.length; j++) {
        expect(Math.abs(got[j]! - want[i]![j]!), `variable ${i}[${j}]`).toBeLessThan(
          1.2e-7 * Math.abs(want[i]![j]!) + 6 * 1e-6 * lr,
        );
      }
    }
    expect(run.nativeCalls).toBe(NATIVE_RUN ? 6 * SHAPES.length : 0);
  });

  for (const asArray of [false, true]) {
    it(`equals tfjs’s own AdamOptimizer bit for bit over 8 steps: weights, moments, iterations, β₁ᵗ, β₂ᵗ (gradients as ${asArray ? 'NamedTensor[]' : 'a map'})`, async () => {
      const p = problem(SHAPES, 8);
      const fused = await train(SHAPES, p, true, undefined, { asArray });
      const stock = await train(SHAPES, p, false, undefined, { asArray });
      expect(fused.weights).toEqual(stock.weights);
      expect(fused.state).toEqual(stock.state);
      expect(fused.state.map((s) => s.name)).toEqual(['iter', '0/m', '1/m', '2/m', '3/m', '0/v', '1/v', '2/v', '3/v']);
      expect(fused.state[0]!.values).toEqual([8]);
      expect(fused.accBeta).toEqual(stock.accBeta);
      // Training moved every variable.
      for (const [i, w] of fused.weights.entries()) expect(w).not.toEqual(Float32Array.from(p.initial[i]!));
    });
  }

  it('leaves a variable without a gradient as it is but makes its moments, as tfjs does', async () => {
    const p = problem(SHAPES, 3);
    const dropSecond = {
      asArray: true,
      gradientOf: (g: tf.Tensor, i: number) => {
        if (i !== 1) return g;
        g.dispose();
        return null;
      },
    };
    const fused = await train(SHAPES, p, true, undefined, dropSecond);
    const stock = await train(SHAPES, p, false, undefined, dropSecond);
    expect(fused.weights[1]).toEqual(Float32Array.from(p.initial[1]!));
    expect(fused.weights).toEqual(stock.weights);
    expect(fused.state).toEqual(stock.state);
    expect(fused.state.map((s) => s.values.length)).toEqual([1, 35, 3, 1, 24, 35, 3, 1, 24]);
    expect(fused.nativeCalls).toBe(NATIVE_RUN ? 3 * (SHAPES.length - 1) : 0);
  });

  it('hands a gradient that broadcasts (shape [1, 5] for a [7, 5] variable) to tfjs’s own step, with the same result', async () => {
    const p = problem([[7, 5], [3]], 2);
    const broadcast = {
      gradientOf: (g: tf.Tensor, i: number) => {
        if (i !== 0) return g;
        const row = tf.slice(g, [0, 0], [1, 5]);
        g.dispose();
        return row;
      },
    };
    const fused = await train([[7, 5], [3]], p, true, undefined, broadcast);
    const stock = await train([[7, 5], [3]], p, false, undefined, broadcast);
    expect(fused.nativeCalls).toBe(0);
    expect(fused.weights).toEqual(stock.weights);
    expect(fused.state).toEqual(stock.state);
  });

  for (const [first, second] of [
    [true, false],
    [false, true],
  ] as const) {
    it(`resumes exactly from a checkpoint written by ${first ? 'the fused' : 'tfjs’s own'} step under ${second ? 'the fused' : 'tfjs’s own'}`, async () => {
      const p = problem(SHAPES, 6);
      const whole = await train(SHAPES, p, true);
      // Three steps one way, the state read out (readOptimizerState: getWeights and β₁ᵗ, β₂ᵗ), three the other way.
      await setNativeKernels(first && NATIVE_RUN);
      const variables = SHAPES.map((s, i) => variableOf(p.initial[i]!, s));
      const stepWith = (optimizer: tf.Optimizer, t: number) => {
        const map: tf.NamedTensorMap = {};
        for (const [i, v] of variables.entries()) map[v.name] = tf.tensor(p.gradients[t]![i]!, v.shape);
        optimizer.applyGradients(map);
        tf.dispose(Object.values(map));
      };
      const before = tf.train.adam(0.01);
      for (let t = 0; t < 3; t++) stepWith(before, t);
      const saved = await readOptimizerState(before);
      before.dispose();
      await setNativeKernels(second && NATIVE_RUN);
      const after = tf.train.adam(0.01);
      await loadOptimizerState(after, saved);
      for (let t = 3; t < 6; t++) stepWith(after, t);
      const resumed = variables.map((v) => Float32Array.from(v.dataSync()));
      after.dispose();
      tf.dispose(variables);
      expect(resumed).toEqual(whole.weights);
    });
  }

  it('keeps the tensor count flat from step to step, and leaves a tensor that shares a variable’s data alone', async () => {
    const variable = variableOf(rng.normalArray(12), [3, 4]);
    const shared = tf.clone(variable); // on wasm, the same data as the variable's
    const snapshot = Float32Array.from(shared.dataSync());
    const optimizer: tf.Optimizer = tf.train.adam(0.01);
    const counts: number[] = [];
    for (let t = 0; t < 4; t++) {
      const g = tf.tensor(rng.normalArray(12), [3, 4]);
      optimizer.applyGradients({ [variable.name]: g });
      g.dispose();
      counts.push(tf.memory().numTensors);
    }
    // After the first step (which makes the two moments) nothing more stays.
    expect(counts.slice(1)).toEqual([counts[0], counts[0], counts[0]]);
    expect(Float32Array.from(shared.dataSync())).toEqual(snapshot);
    expect(Float32Array.from(variable.dataSync())).not.toEqual(snapshot);
    optimizer.dispose();
    tf.dispose([variable, shared]);
  });

  it('is right when its own outputs grow the wasm memory (the heap is read after allocating them)', async () => {
    const backend = tf.backend() as unknown as WasmBackendLike;
    // Large enough that x, g and the moments fill the memory there is, so that x′, m′, v′ have to grow it.
    const count = Math.min(1 << 23, Math.ceil(backend.wasm.HEAPF32.length / 2));
    // Cheap deterministic values (millions of normal draws would take seconds): x and g of size ~1, distinct per step.
    const wave = (phase: number, scale: number) =>
      Float32Array.from({ length: count }, (_, i) => scale * Math.sin(i + phase));
    const p = { initial: [wave(0, 1)], gradients: [[wave(1, 0.5)], [wave(2, 0.5)]] };
    /** Two steps; the moments are made before the first (setWeights), so that only the step's outputs allocate. */
    const run = async (native: boolean) => {
      await setNativeKernels(native && NATIVE_RUN);
      const variable = variableOf(p.initial[0]!, [count]);
      const optimizer: tf.Optimizer = tf.train.adam(0.01);
      const zeros = [
        { name: 'iter', tensor: tf.scalar(0, 'int32') },
        { name: `${variable.name}/m`, tensor: tf.zeros([count]) },
        { name: `${variable.name}/v`, tensor: tf.zeros([count]) },
      ];
      await optimizer.setWeights(zeros);
      // setWeights keeps variables of its own (sharing the data).
      tf.dispose(zeros.map((w) => w.tensor));
      const grew: boolean[] = [];
      for (const step of p.gradients) {
        const g = tf.tensor(step[0]!, [count]);
        const bytes = backend.wasm.HEAPF32.buffer.byteLength;
        optimizer.applyGradients({ [variable.name]: g });
        grew.push(backend.wasm.HEAPF32.buffer.byteLength > bytes);
        g.dispose();
      }
      const weights = Float32Array.from(variable.dataSync());
      optimizer.dispose();
      variable.dispose();
      return { weights, grew };
    };
    const fused = await run(true);
    expect(fused.grew[0]).toBe(true);
    const stock = (await run(false)).weights;
    // Counted by hand: vitest's deep equality takes seconds on millions of values.
    let differing = 0;
    for (let i = 0; i < count; i++) if (fused.weights[i] !== stock[i]) differing++;
    expect(differing).toBe(0);
  });
});
