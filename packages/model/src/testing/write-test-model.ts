import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { BregmanDivergence, type Divergence, SquaredEuclideanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { fileSystemIOHandler } from '@empirical-bregman/runtime/node';
import type { ModelInputSpec, ModelManifest } from '../model-manifest';

/** What {@link writeTestModel} writes. */
export interface TestModelOptions {
  /** Shape of one raw sample (default [4], a table row). */
  readonly sampleShape?: readonly number[];
  readonly embeddingDim?: number;
  readonly kind?: ModelInputSpec['kind'];
  /** Default: a fixed standardizer (mean j/2, std 1 + j/4); null: none. */
  readonly standardizer?: { readonly mean: readonly number[]; readonly std: readonly number[] } | null;
  readonly divisor?: number;
  readonly labelNames?: readonly string[];
  readonly querySlot?: 'left' | 'right';
  /** The head: a seeded ICNN Bregman divergence (default), or squared Euclidean. */
  readonly head?: 'icnn' | 'squared-euclidean';
  readonly seed?: number;
  /** Edits the manifest before it is written (the error tests). */
  readonly editManifest?: (manifest: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Test-only: writes a model folder exactly as the CLI's training runs do (`<run>/model/`): a small tfjs-layers
 * Sequential (dense layers, seeded Glorot initialisers) saved with runtime's `fileSystemIOHandler`, the head's
 * `toJSON()` in `divergence.json`, and `manifest.json`. Returns the trunk and head it saved (the caller disposes
 * them) and the manifest.
 */
export async function writeTestModel(
  dir: string,
  options: TestModelOptions = {},
): Promise<{ trunk: tfl.Sequential; head: Divergence; manifest: ModelManifest }> {
  const sampleShape = [...(options.sampleShape ?? [4])];
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const embeddingDim = options.embeddingDim ?? 3;
  const seed = options.seed ?? 7;
  const trunk = tfl.sequential();
  if (sampleShape.length > 1) trunk.add(tfl.layers.flatten({ inputShape: sampleShape }));
  trunk.add(
    tfl.layers.dense({
      units: 16,
      activation: 'tanh',
      ...(sampleShape.length > 1 ? {} : { inputShape: sampleShape }),
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      biasInitializer: tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 1 }),
    }),
  );
  trunk.add(
    tfl.layers.dense({
      units: embeddingDim,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }),
    }),
  );
  await trunk.save(fileSystemIOHandler(dir));

  const head: Divergence =
    options.head === 'squared-euclidean'
      ? new SquaredEuclideanDivergence()
      : new BregmanDivergence(new IcnnConvexFunction({ dim: embeddingDim, hiddenSizes: [8, 8], seed: seed + 3 }));
  writeFileSync(join(dir, 'divergence.json'), JSON.stringify(head.toJSON()));

  const standardizer =
    options.standardizer === null
      ? undefined
      : (options.standardizer ?? {
          mean: Array.from({ length: size }, (_, j) => j / 2),
          std: Array.from({ length: size }, (_, j) => 1 + j / 4),
        });
  const input: Record<string, unknown> = { kind: options.kind ?? 'table', sampleShape };
  if ((options.kind ?? 'table') === 'table' && sampleShape.length === 1) {
    input.featureNames = Array.from({ length: size }, (_, j) => `f${j + 1}`);
  }
  if (standardizer !== undefined) input.standardizer = standardizer;
  if (options.divisor !== undefined) input.divisor = options.divisor;
  let manifest: Record<string, unknown> = {
    schemaVersion: 1,
    format: 'empirical-bregman-model',
    createdAt: '2026-12-07T10:00:00.000Z',
    producer: { name: '@empirical-bregman/cli', version: '0.0.0', tfjs: '4.22.0' },
    trunk: 'model.json',
    divergence: 'divergence.json',
    embeddingDim,
    querySlot: options.querySlot ?? 'left',
    input,
    labels: { names: [...(options.labelNames ?? ['a', 'b', 'c'])] },
    data: { source: 'test-blobs', fingerprint: null },
  };
  if (options.editManifest) manifest = options.editManifest(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { trunk, head, manifest: manifest as unknown as ModelManifest };
}

/** Test-only: n samples of `size` values around one centre per class (centres far apart), and their labels. */
export function blobs(
  n: number,
  size: number,
  classes: number,
  options: { spread?: number; seed?: number } = {},
): { values: Float32Array; labels: Int32Array } {
  const rng = new SeededRandom(options.seed ?? 1);
  const spread = options.spread ?? 0.05;
  const values = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = c;
    for (let j = 0; j < size; j++) {
      const centre = ((c * 7 + j * 3) % 5) - 2 + (j === c % size ? 3 : 0);
      values[i * size + j] = centre + spread * (2 * rng.uniform() - 1);
    }
  }
  return { values, labels };
}
