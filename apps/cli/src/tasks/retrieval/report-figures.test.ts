import type { LabelledData } from '@empirical-bregman/datasets';
import { describe, expect, it } from 'vitest';
import { sampleTiles } from './report-figures';

/** n images of 2×1 RGB whose first value is the row index / 100, labels as given. */
function rgbImages(labels: number[]): LabelledData {
  const features = new Float32Array(labels.length * 6);
  labels.forEach((_, i) => {
    features[i * 6] = i / 100;
  });
  return {
    name: 'tiles',
    features,
    labels: Int32Array.from(labels),
    sampleShape: [2, 1, 3],
    numClasses: Math.max(...labels) + 1,
  } as LabelledData;
}

describe('sampleTiles', () => {
  it('takes the first 8 classes met, at most 10 images each, in data order, with their names and RGB pixels', () => {
    // 12 classes; class 0 has 12 images (rows 0–11), the others one each (rows 12–22).
    const labels = [...Array(12).fill(0), ...Array.from({ length: 11 }, (_, c) => c + 1)];
    const tiles = sampleTiles(rgbImages(labels), ['zero', 'one'])!;
    expect(tiles.imageShape).toEqual([2, 1]);
    expect(tiles.channels).toBe(3);
    expect(tiles.classes.map((c) => c.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(tiles.classes.map((c) => c.name).slice(0, 3)).toEqual(['zero', 'one', '2']);
    expect(tiles.classes[0]!.images).toHaveLength(10);
    expect(tiles.classes[0]!.images[9]![0]).toBeCloseTo(0.09, 6);
    expect(tiles.classes[1]!.images[0]).toHaveLength(6);
    expect(tiles.classes[1]!.images[0]![0]).toBeCloseTo(0.12, 6);
  });

  it('is absent for tabular data', () => {
    expect(sampleTiles({ ...rgbImages([0, 1]), sampleShape: [6] } as LabelledData, [])).toBeUndefined();
  });
});
