/**
 * The functions of the addon (`native/native_blas.c`). They read and write a Float32Array in place, in practice the
 * tfjs wasm backend's heap (`backend.wasm.HEAPF32`); every offset and size counts float32 elements of that array.
 * Matrices are dense and row-major. Each call checks that every range it touches lies inside `heap` and throws a
 * `RangeError` ("native-blas <function>: expected …") otherwise, before any work.
 *
 * The heap view must be taken after the output is allocated: allocating can grow the wasm memory, which detaches the
 * old buffer (a detached view has length 0, so a stale view fails the range check instead of writing nowhere).
 */
export interface NativeBlasAddon {
  /**
   * For each i: C_i = op(A_i)·op(B_i), `offsets` holding (a_i, b_i, c_i) per product. A_i is m × k (stored k × m
   * when `transA`), B_i is k × n (stored n × k when `transB`), C_i is m × n and is overwritten. With k = 0 every C_i
   * is 0.
   */
  gemmBatch(
    heap: Float32Array,
    offsets: Int32Array,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
  ): void;
  /**
   * In place on `count` values seen as rows of `n`: v ← act(v + bias[j]) for column j. Bias and PReLU weights hold
   * n values or 1 shared by every column; an offset of −1 means none. `activation` is a code of
   * `FUSED_ACTIVATION_CODES`; `alpha` is the leaky ReLU's slope.
   */
  biasActivation(
    heap: Float32Array,
    offset: number,
    count: number,
    n: number,
    biasOffset: number,
    biasSize: number,
    activation: number,
    alpha: number,
    preluOffset: number,
    preluSize: number,
  ): void;
  /** y = conv2d(x, filter) by im2col and sgemm; NHWC x, [kh, kw, inC, outC] filter; see `convGeometry`. */
  conv2d(heap: Float32Array, x: number, filter: number, y: number, geometry: Int32Array): void;
  /** dx = the gradient of conv2d with respect to its input, from dy: col2im(dy · filterᵀ). */
  conv2dBackpropInput(heap: Float32Array, dy: number, filter: number, dx: number, geometry: Int32Array): void;
  /** dw = the gradient of conv2d with respect to its filter, from x and dy: im2col(x)ᵀ · dy. */
  conv2dBackpropFilter(heap: Float32Array, x: number, dy: number, dw: number, geometry: Int32Array): void;
  /**
   * dx = the gradient of a max pool with respect to its input x, from dy, with tfjs-core's semantics (tfjs-cpu's
   * `maxPoolPositions`): each window's dy goes to its first strictly greatest element in row-major order (ties: the
   * first; NaN never; a window of only −∞/NaN passes nothing); sums over windows in double, rounded once. The geometry
   * is a convolution's with outChannels = inChannels and the pool's window as the filter (no filter is read).
   */
  maxPoolGrad(heap: Float32Array, x: number, dy: number, dx: number, geometry: Int32Array): void;
  /**
   * One Adam step of one variable in one pass, tfjs 4.22's `AdamOptimizer.applyGradients` arithmetic op by op in
   * float32: m' = m·β₁ + g·(1−β₁), v' = v·β₂ + g²·(1−β₂), x' = ((m'/(1−β₁ᵗ)) / (√(v'/(1−β₂ᵗ)) + ε))·(−lr) + x.
   * `offsets` holds 9 element offsets: x, m, v, g (`count` values each), β₁ᵗ and β₂ᵗ (one value each), then x', m',
   * v' (`count` values each; an output is its input's own range, in place, or apart from every other range). The scalars are rounded to float32 here, as
   * tfjs rounds its scalar tensors: pass (1−β₁), (1−β₂) and −lr computed in double, as tfjs computes them.
   */
  adamUpdate(
    heap: Float32Array,
    offsets: Int32Array,
    count: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    epsilon: number,
    negLearningRate: number,
  ): void;
  /**
   * The data-parallel all-reduce of runtime's `SharedGradientAverage` in one native pass: out[outOffset + i] =
   * (Σ_w slots[base + w·size + i]) / workers, with its JavaScript arithmetic exactly (the sum in float32 in worker
   * order, then one product with the double 1/workers rounded to float32), so both give the same bits. `slots` is
   * typically a view of a SharedArrayBuffer; `out` may be any Float32Array (a plain one, or the wasm heap) whose range
   * does not overlap the slots'.
   */
  averageSlots(
    slots: Float32Array,
    base: number,
    workers: number,
    size: number,
    out: Float32Array,
    outOffset: number,
  ): void;
  /** Sets OpenBLAS's thread count: process-wide, every thread of the process shares it. */
  setThreads(threads: number): void;
  /** OpenBLAS's thread count now. */
  threads(): number;
  /** OpenBLAS's build line, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64". */
  config(): string;
  /** The CPU code path OpenBLAS picked on this machine, e.g. "Haswell" (results differ in the last bits per path). */
  corename(): string;
}

/** The activations tfjs fuses into `_FusedMatMul` and `FusedConv2D`. */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'prelu' | 'leakyrelu' | 'sigmoid' | 'elu';

/** `biasActivation`'s activation codes (the same numbers as tfjs-backend-wasm's `FusableActivation`). */
export const FUSED_ACTIVATION_CODES: Readonly<Record<FusedActivation, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  prelu: 3,
  leakyrelu: 4,
  sigmoid: 5,
  elu: 6,
};
