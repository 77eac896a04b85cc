import * as tf from '@tensorflow/tfjs-core';

/** What one smoke-test training step measured. */
export interface SmokeTestResult {
  /** The loss before the update. */
  readonly loss: number;
  /** Wall time of the whole step (forward, gradient, update, read-back), in milliseconds. */
  readonly ms: number;
}

// Sizes of the toy problem: 8 rows of 5 features, a dense trunk to 3 dimensions, an ICNN of 4 hidden units.
const ROWS = 8;
const FEATURES = 5;
const EMBED = 3;
const HIDDEN = 4;
const MU = 0.1;

/** Deterministic values in (−1, 1) without a random op (a kernel that must work is not the thing under test). */
function wave(n: number, phase: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + phase) * 0.9);
}

/**
 * One training step of the model this project trains, on the active backend: a dense trunk f(x) = xW, a one-layer
 * input-convex network φ(z) = u⁺·softplus(Az + b) + (μ/2)‖z‖² with u⁺ = softplus(ũ), its gradient written out
 * (∇φ(z) = Aᵀ(u⁺ ⊙ sigmoid(Az + b)) + μz, first-order autodiff only), the Bregman divergence
 * D(p, q) = φ(p) − φ(q) − ⟨∇φ(q), p − q⟩ between paired rows, a contrastive loss (pull even pairs together, push odd
 * pairs past a margin of 1), its gradient by `tf.variableGrads`, and one Adam update.
 *
 * Throws when a kernel is missing or any loss, gradient or updated weight is not finite, so that `initBackend` can
 * fall back to the next backend with the reason. Leaves no tensor behind.
 *
 * ```ts
 * await tf.setBackend('webgl');
 * const { loss, ms } = await trainingSmokeTest(); // throws on a broken backend
 * ```
 */
export async function trainingSmokeTest(): Promise<SmokeTestResult> {
  const started = performance.now();
  // In tidy: a variable keeps its own copy of the initial value, whose tensor would otherwise stay allocated.
  // Unnamed: tfjs names them uniquely, so a smoke test can run again (on the next backend) while names stay free.
  const [w, a, b, u] = tf.tidy(() => [
    tf.variable(tf.tensor2d(wave(FEATURES * EMBED, 0.3), [FEATURES, EMBED])),
    tf.variable(tf.tensor2d(wave(HIDDEN * EMBED, 1.1), [HIDDEN, EMBED])),
    tf.variable(tf.tensor1d(wave(HIDDEN, 2.3))),
    tf.variable(tf.tensor1d(wave(HIDDEN, 0.7))),
  ]) as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const variables = [w, a, b, u];
  const labels = ['W', 'A', 'b', 'u'];
  const optimizer = tf.train.adam(0.01);
  // Everything this step makes, freed whether it passes or throws (a failing backend must not leak either).
  const made: tf.Tensor[] = [];
  try {
    const x = tf.tensor2d(wave(ROWS * FEATURES, 0), [ROWS, FEATURES]);
    const sign = tf.tensor1d(Float32Array.from({ length: ROWS / 2 }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    made.push(x, sign);
    const { value, grads } = tf.variableGrads(() => {
      const z = tf.matMul(x, w); // [ROWS, EMBED]
      const p = tf.slice(z, [0, 0], [ROWS / 2, EMBED]) as tf.Tensor2D;
      const q = tf.slice(z, [ROWS / 2, 0], [ROWS / 2, EMBED]) as tf.Tensor2D;
      const uPlus = tf.softplus(u);
      const phi = (v: tf.Tensor2D): tf.Tensor1D => {
        const pre = tf.add(tf.matMul(v, a, false, true), b);
        const quadratic = tf.mul(MU / 2, tf.sum(tf.square(v), 1));
        return tf.add(tf.sum(tf.mul(tf.softplus(pre), uPlus), 1), quadratic) as tf.Tensor1D;
      };
      const gradPhiQ = tf.add(
        tf.matMul(tf.mul(tf.sigmoid(tf.add(tf.matMul(q, a, false, true), b)), uPlus), a),
        tf.mul(MU, q),
      );
      const d = tf.sub(tf.sub(phi(p), phi(q)), tf.sum(tf.mul(gradPhiQ, tf.sub(p, q)), 1));
      const pull = tf.mul(sign, d);
      const push = tf.mul(tf.sub(1, sign), tf.relu(tf.sub(1, d)));
      return tf.mean(tf.add(pull, push)) as tf.Scalar;
    });
    made.push(value, ...Object.values(grads));
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    const flags = tf.tidy(() =>
      tf.stack([value, ...Object.values(grads), ...variables].map((t) => tf.cast(tf.all(tf.isFinite(t)), 'int32'))),
    );
    made.push(flags);
    const finite = await flags.data();
    const loss = (await value.data())[0]!;
    const byName = new Map(variables.map((v, i) => [v.name, labels[i]!]));
    const names = [
      'loss',
      ...Object.keys(grads).map((n) => `gradient of ${byName.get(n) ?? n}`),
      ...labels.map((l) => `updated ${l}`),
    ];
    const bad = names.filter((_, i) => finite[i] !== 1);
    if (bad.length > 0) throw new Error(`expected finite values, got non-finite ${bad.join(', ')}`);
    return { loss, ms: performance.now() - started };
  } finally {
    optimizer.dispose();
    tf.dispose([...made, ...variables]);
  }
}
