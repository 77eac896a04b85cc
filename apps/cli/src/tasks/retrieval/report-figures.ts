import type { Divergence } from '@empirical-bregman/bregman-core';
import { bregmanGeneratorOf } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import type { LabelledData } from '@empirical-bregman/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { projectUmap } from '../../report/index';
import type {
  DivergenceMatrix,
  PhiSurface,
  Projection2D,
  RetrievalExamples,
  SampleTiles,
} from '../../report/report-data';

/** Indices of a class-balanced sample of at most `size` items, sorted by class then index. */
function balancedSample(labels: Int32Array, size: number, seed: number): number[] {
  const order = Array.from(new SeededRandom(`${seed}/figures`).permutation(labels.length));
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const perClass = Math.max(1, Math.floor(size / classes.length));
  const taken = new Map<number, number[]>(classes.map((c) => [c, []]));
  for (const i of order) {
    const bucket = taken.get(labels[i]!)!;
    if (bucket.length < perClass) bucket.push(i);
  }
  return classes.flatMap((c) => taken.get(c)!.sort((a, b) => a - b));
}

/** Classes and images per class in a report's grid of training samples. */
const SAMPLE_GRID = { classes: 8, images: 10 } as const;

/** A few training images of the first classes, in the order the data hold them (image datasets only). */
export function sampleTiles(train: LabelledData, classNames: readonly string[]): SampleTiles | undefined {
  const [h, w, channels] = train.sampleShape;
  if (train.sampleShape.length !== 3 || (channels !== 1 && channels !== 3)) return undefined;
  const size = h! * w! * channels;
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < train.labels.length; i++) {
    const label = train.labels[i]!;
    let list = byClass.get(label);
    if (!list) {
      if (byClass.size === SAMPLE_GRID.classes) continue;
      list = [];
      byClass.set(label, list);
    }
    if (list.length < SAMPLE_GRID.images) list.push(i);
  }
  return {
    imageShape: [h!, w!],
    channels,
    classes: [...byClass].map(([label, rows]) => ({
      label,
      name: classNames[label] ?? String(label),
      images: rows.map((i) => Array.from(train.features.subarray(i * size, (i + 1) * size))),
    })),
  };
}

/**
 * The figures of a run report, from the test embeddings (caller keeps ownership of `embeddings`); retrieval tiles
 * name classes by `classNames`.
 */
export async function reportFigures(
  divergence: Divergence,
  embeddings: tf.Tensor2D,
  test: LabelledData,
  isImage: boolean,
  seed: number,
  classNames: readonly string[] = [],
): Promise<{
  projection?: Projection2D;
  divergenceMatrix?: DivergenceMatrix;
  retrievalExamples?: RetrievalExamples;
  phiSurface?: PhiSurface;
}> {
  const [n, dim] = embeddings.shape;
  const values = (await embeddings.data()) as Float32Array;
  const projection =
    dim > 2
      ? projectUmap(values, n, dim, { seed, labels: test.labels, maxPoints: 1000, nEpochs: 200 })
      : {
          x: Array.from({ length: n }, (_, i) => values[i * 2]!),
          y: Array.from({ length: n }, (_, i) => values[i * 2 + 1]!),
          labels: Array.from(test.labels),
          method: 'the 2-D embedding itself',
        };

  // D(a_i, a_j) over a class-balanced sample sorted by class: blocks on the diagonal mean classes are tight.
  const sample = balancedSample(test.labels, 80, seed);
  const matrix = tf.tidy(() => {
    const s = tf.gather(embeddings, tf.tensor1d(sample, 'int32')) as tf.Tensor2D;
    return divergence.pairwise(s, s);
  });
  const matrixValues = (await matrix.array()) as number[][];
  matrix.dispose();
  const divergenceMatrix: DivergenceMatrix = { values: matrixValues, labels: sample.map((i) => test.labels[i]!) };

  let retrievalExamples: RetrievalExamples | undefined;
  const channels = test.sampleShape[2];
  if (isImage && (channels === 1 || channels === 3)) {
    const [h, w] = test.sampleShape as [number, number, number];
    const size = h * w * channels;
    const queries = balancedSample(test.labels, 6, seed + 1).slice(0, 6);
    const examples = [];
    for (const q of queries) {
      const row = tf.tidy(() => divergence.pairwise(tf.slice(embeddings, [q, 0], [1, dim]) as tf.Tensor2D, embeddings));
      const d = (await row.data()) as Float32Array;
      row.dispose();
      const order = Array.from(d.keys())
        .filter((j) => j !== q)
        .sort((a, b) => d[a]! - d[b]! || a - b)
        .slice(0, 6);
      examples.push({
        query: { pixels: Array.from(test.features.subarray(q * size, (q + 1) * size)), label: test.labels[q]! },
        neighbours: order.map((j) => ({
          pixels: Array.from(test.features.subarray(j * size, (j + 1) * size)),
          label: test.labels[j]!,
          divergence: d[j]!,
        })),
      });
    }
    retrievalExamples = {
      imageShape: [h, w],
      ...(channels === 3 ? { channels } : {}),
      ...(classNames.length > 0 ? { classNames: [...classNames] } : {}),
      examples,
    };
  }

  // For 2-D embeddings with a Bregman head, draw the learned generator φ itself.
  let phiSurface: PhiSurface | undefined;
  const generator = bregmanGeneratorOf(divergence);
  if (dim === 2 && generator) {
    let [minX, maxX, minY, maxY] = [
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, values[2 * i]!);
      maxX = Math.max(maxX, values[2 * i]!);
      minY = Math.min(minY, values[2 * i + 1]!);
      maxY = Math.max(maxY, values[2 * i + 1]!);
    }
    const steps = 40;
    const xs = Array.from({ length: steps }, (_, i) => minX + ((maxX - minX) * i) / (steps - 1));
    const ys = Array.from({ length: steps }, (_, i) => minY + ((maxY - minY) * i) / (steps - 1));
    const grid = ys.flatMap((y) => xs.flatMap((x) => [x, y]));
    const phi = tf.tidy(() => generator.valueAndGrad(tf.tensor2d(grid, [steps * steps, 2]), { validate: false }).value);
    const flat = (await phi.data()) as Float32Array;
    phi.dispose();
    phiSurface = { xs, ys, values: ys.map((_, iy) => Array.from(flat.subarray(iy * steps, (iy + 1) * steps))) };
  }
  return { projection, divergenceMatrix, retrievalExamples, phiSurface };
}
