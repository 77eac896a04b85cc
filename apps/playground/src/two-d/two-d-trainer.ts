import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { NCALoss } from '@empirical-bregman/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { LabelledPoint } from './presets';

/** What the 2-D plot draws, each a row-major `size × size` grid over [−view, view]² (row 0 at the top). */
export interface DivergenceField {
  readonly size: number;
  /** φ(x). */
  readonly phi: Float32Array;
  /** With a centre c: D(x, c) (x in the left slot), D(c, x) (x in the right slot) and ‖x − c‖². */
  readonly left?: Float32Array;
  readonly right?: Float32Array;
  readonly euclidean?: Float32Array;
}

/**
 * The 2-D mode's model: a learned Bregman divergence D_φ(x, y) = φ(x) − φ(y) − ⟨∇φ(y), x − y⟩ with φ an input-convex
 * network on the plane itself (no trunk: the points are the embeddings), trained with the NCA loss
 * (Goldberger et al. 2004) on all the points at once, by Adam. Owns its variables: `dispose()` frees them.
 *
 * ```ts
 * const trainer = new TwoDTrainer();
 * const loss = await trainer.step(points); // one Adam step on every point
 * trainer.dispose();
 * ```
 */
export class TwoDTrainer {
  readonly phi: IcnnConvexFunction;
  readonly divergence: BregmanDivergence;
  private readonly loss: NCALoss;
  private readonly optimizer: tf.AdamOptimizer;

  constructor(options: { seed?: number; learningRate?: number } = {}) {
    this.phi = new IcnnConvexFunction({ dim: 2, hiddenSizes: [32, 32], seed: options.seed ?? 0 });
    this.divergence = new BregmanDivergence(this.phi);
    // NCA (Goldberger et al. 2004): each point's soft nearest-neighbour vote, −log Σ_same e^{−D} / Σ_others e^{−D}.
    // Absolute units (no batch-mean scale): the loss can fall by growing D between classes, which is what the
    // picture shows. Measured on the presets, 50 Adam steps at 0.05: moons 0.55 → 0.006, circles 1.01 → 0.20;
    // the contrastive loss mostly shrank every divergence instead.
    this.loss = new NCALoss({ divergence: this.divergence, scale: 'none' });
    this.optimizer = tf.train.adam(options.learningRate ?? 0.05);
  }

  /** One Adam step on every point; resolves to the loss before the step. Needs two classes to mean anything. */
  async step(points: readonly LabelledPoint[]): Promise<number> {
    const labels = points.map((p) => p.label);
    const x = tf.tensor2d(
      points.flatMap((p) => [p.x, p.y]),
      [points.length, 2],
    );
    const loss = this.optimizer.minimize(() => this.loss.compute(x, labels), true, this.phi.trainableVariables)!;
    x.dispose();
    const value = (await loss.data())[0]!;
    loss.dispose();
    return value;
  }

  /** φ on a `size × size` grid over [−view, view]², and with a centre the divergences to it in both slots. */
  async field(size: number, view: number, centre?: { x: number; y: number }): Promise<DivergenceField> {
    const grid = gridPoints(size, view);
    const tensors = tf.tidy(() => {
      const x = tf.tensor2d(grid, [size * size, 2]);
      const { value } = this.phi.valueAndGrad(x);
      if (!centre) return [value];
      const c = tf.tensor2d([centre.x, centre.y], [1, 2]);
      return [
        value,
        tf.reshape(this.divergence.pairwise(x, c), [-1]),
        tf.reshape(this.divergence.pairwise(c, x), [-1]),
        tf.sum(tf.square(tf.sub(x, c)), 1),
      ];
    });
    const [phi, left, right, euclidean] = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    tf.dispose(tensors);
    return centre ? { size, phi: phi!, left, right, euclidean } : { size, phi: phi! };
  }

  /** D(p, c), D(c, p) and ‖p − c‖² for every point p: the radii that put a given share of the points in each ball. */
  async toCentre(points: readonly LabelledPoint[], centre: { x: number; y: number }): Promise<Float32Array[]> {
    const tensors = tf.tidy(() => {
      const p = tf.tensor2d(
        points.flatMap((q) => [q.x, q.y]),
        [points.length, 2],
      );
      const c = tf.tensor2d([centre.x, centre.y], [1, 2]);
      return [
        tf.reshape(this.divergence.pairwise(p, c), [-1]),
        tf.reshape(this.divergence.pairwise(c, p), [-1]),
        tf.sum(tf.square(tf.sub(p, c)), 1),
      ];
    });
    const values = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    tf.dispose(tensors);
    return values;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.loss.dispose();
    this.divergence.dispose(); // frees φ, which the divergence owns
  }
}

/** Cell centres of a `size × size` grid over [−view, view]², row-major with row 0 at the top (largest y). */
export function gridPoints(size: number, view: number): Float32Array {
  const out = new Float32Array(size * size * 2);
  const cell = (2 * view) / size;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      out[2 * (i * size + j)] = -view + (j + 0.5) * cell;
      out[2 * (i * size + j) + 1] = view - (i + 0.5) * cell;
    }
  }
  return out;
}
