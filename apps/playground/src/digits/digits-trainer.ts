import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { MPerClassSampler } from '@empirical-bregman/datasets';
import { retrievalMetrics } from '@empirical-bregman/eval';
import { NCALoss } from '@empirical-bregman/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { Digits } from './digits-file';

const EMBED = 16;
const HIDDEN = 128;

/** Train and validation indices: per class, the first `trainShare` of its digits train, `perClassVal` of the rest validate. */
export function splitDigits(
  labels: Uint8Array,
  trainShare = 0.8,
  perClassVal = 50,
): { train: Int32Array; val: Int32Array } {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const members = byClass.get(labels[i]!) ?? [];
    members.push(i);
    byClass.set(labels[i]!, members);
  }
  const train: number[] = [];
  const val: number[] = [];
  for (const members of byClass.values()) {
    const cut = Math.floor(members.length * trainShare);
    train.push(...members.slice(0, cut));
    val.push(...members.slice(cut, cut + perClassVal));
  }
  return { train: Int32Array.from(train), val: Int32Array.from(val) };
}

/**
 * The digits mode's model: a dense trunk 784 → 128 (ReLU) → 16 and a learned Bregman divergence on the 16-d embeddings
 * (φ an input-convex network), trained together with the NCA loss on m-per-class batches (12 digits of each of the 10
 * classes: 120 a batch). Owns every variable: `dispose()` frees them.
 *
 * ```ts
 * const trainer = new DigitsTrainer(digits, split.train);
 * const loss = await trainer.step();
 * const { mapAtR } = await trainer.validate(split.val);
 * ```
 */
export class DigitsTrainer {
  private readonly trunk: tf.Variable[];
  readonly divergence: BregmanDivergence;
  private readonly loss: NCALoss;
  private readonly optimizer: tf.AdamOptimizer;
  private readonly sampler: MPerClassSampler;
  private readonly images: tf.Tensor2D;
  private readonly trainIndices: Int32Array;

  constructor(
    private readonly digits: Digits,
    train: Int32Array,
    options: { seed?: number } = {},
  ) {
    const seed = options.seed ?? 0;
    const pixels = digits.side * digits.side;
    // All digits once on the backend, in [0, 1]: a batch is a gather, not an upload.
    this.images = tf.tidy(() =>
      tf.div(tf.tensor2d(digits.pixels, [digits.count, pixels], 'int32'), 255),
    ) as tf.Tensor2D;
    this.trunk = tf.tidy(() => [
      tf.variable(tf.randomNormal([pixels, HIDDEN], 0, Math.sqrt(2 / pixels), 'float32', seed)),
      tf.variable(tf.zeros([HIDDEN])),
      tf.variable(tf.randomNormal([HIDDEN, EMBED], 0, Math.sqrt(1 / HIDDEN), 'float32', seed + 1)),
      tf.variable(tf.zeros([EMBED])),
    ]);
    this.divergence = new BregmanDivergence(new IcnnConvexFunction({ dim: EMBED, hiddenSizes: [32], seed }));
    this.loss = new NCALoss({ divergence: this.divergence, scale: 'none' });
    this.optimizer = tf.train.adam(1e-3);
    this.trainIndices = train;
    const trainLabels = Array.from(train, (i) => digits.labels[i]!);
    this.sampler = new MPerClassSampler(trainLabels, 12, 120, { seed });
  }

  /** Embeddings f(x) of the digits at `indices` (caller disposes). */
  embed(indices: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const [w1, b1, w2, b2] = this.trunk as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
      const x = tf.gather(this.images, indices);
      return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2) as tf.Tensor2D;
    });
  }

  /** One Adam step on one batch; resolves to its loss. */
  async step(): Promise<number> {
    const batch = Array.from(this.sampler.nextBatch(), (i) => this.trainIndices[i]!);
    const labels = batch.map((i) => this.digits.labels[i]!);
    const indices = tf.tensor1d(batch, 'int32');
    const variables = [...this.trunk, ...this.divergence.trainableVariables];
    const loss = this.optimizer.minimize(() => this.loss.compute(this.embed(indices), labels), true, variables)!;
    indices.dispose();
    const value = (await loss.data())[0]!;
    loss.dispose();
    return value;
  }

  /**
   * MAP@R (Musgrave et al. 2020) of `indices` retrieving among themselves by the learned divergence (query in the
   * left slot), with the embeddings (n × 16) for the projection and the divergence matrix's k-NN lists for the tiles.
   */
  async validate(
    indices: Int32Array,
  ): Promise<{ mapAtR: number; embeddings: Float32Array; neighbours: Int32Array; k: number }> {
    const labels = Int32Array.from(indices, (i) => this.digits.labels[i]!);
    const counts = new Map<number, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const k = Math.max(...counts.values()) - 1; // R of the largest class: MAP@R needs every relevant neighbour
    const [embedded, top] = tf.tidy(() => {
      const z = this.embed(tf.tensor1d(indices, 'int32'));
      const d = this.divergence.pairwise(z, z);
      // The query itself is not its own neighbour: push the diagonal to +∞ before taking the k smallest.
      const diagonal = tf.cast(tf.eye(indices.length), 'bool');
      const masked = tf.where(diagonal, tf.fill(d.shape, Number.POSITIVE_INFINITY), d);
      return [z, tf.topk(tf.neg(masked), k).indices];
    });
    const [embeddings, neighbours] = [(await embedded.data()) as Float32Array, (await top.data()) as Int32Array];
    tf.dispose([embedded, top]);
    const metrics = retrievalMetrics({ numQueries: indices.length, k, indices: neighbours }, labels, labels, {
      referenceIncludesQueries: true,
      include: ['mapAtR'],
    });
    return { mapAtR: metrics.mapAtR!, embeddings, neighbours, k };
  }

  dispose(): void {
    this.optimizer.dispose();
    this.loss.dispose();
    this.divergence.dispose();
    tf.dispose([...this.trunk, this.images]);
  }
}
