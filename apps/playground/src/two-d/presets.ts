import { SeededRandom } from '@empirical-bregman/common';
import { makeConcentricCircles, makeGaussianMixture } from '@empirical-bregman/datasets';

/** A labelled point of the 2-D mode, in the plot's coordinates ([−VIEW, VIEW]² is visible). */
export interface LabelledPoint {
  readonly x: number;
  readonly y: number;
  readonly label: number;
}

/** Half the width of the visible square: the plot shows [−VIEW, VIEW]². */
export const VIEW = 2.5;

export type PresetName = 'circles' | 'moons' | 'gaussians';
export const PRESET_NAMES: readonly PresetName[] = ['circles', 'moons', 'gaussians'];

/**
 * A preset data set of about 120 points, seeded (the same points every time): three concentric circles (datasets'
 * `makeConcentricCircles`, scaled by 2), two interleaved half-moons (the classic of scikit-learn's `make_moons`), or
 * four Gaussian blobs (datasets' `makeGaussianMixture`).
 *
 * ```ts
 * const points = preset('moons'); // 120 points, labels 0 and 1
 * ```
 */
export function preset(name: PresetName, seed = 1): LabelledPoint[] {
  if (name === 'circles') {
    const data = makeConcentricCircles({ radii: [0.25, 0.6, 0.95], perClass: 40, std: 0.05, seed });
    return fromRows(data.features, data.labels, 2);
  }
  if (name === 'gaussians') {
    const data = makeGaussianMixture({ numClasses: 4, dim: 2, perClass: 30, separation: 3, std: 0.5, seed });
    return fromRows(data.features, data.labels, 0.5);
  }
  // Moons: upper arc (cos t, sin t) and lower arc (1 − cos t, 0.5 − sin t) for t ∈ [0, π], centred, with noise.
  const random = new SeededRandom(seed);
  const points: LabelledPoint[] = [];
  for (let i = 0; i < 120; i++) {
    const label = i % 2;
    const t = Math.PI * random.next();
    const [x, y] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    points.push({ x: 1.2 * (x - 0.5) + 0.08 * random.normal(), y: 1.2 * (y - 0.25) + 0.08 * random.normal(), label });
  }
  return points;
}

function fromRows(features: Float32Array, labels: Int32Array, scale: number): LabelledPoint[] {
  return Array.from(labels, (label, i) => ({ x: scale * features[2 * i]!, y: scale * features[2 * i + 1]!, label }));
}
