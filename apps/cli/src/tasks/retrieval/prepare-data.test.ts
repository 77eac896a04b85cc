import { loadDataset } from '@empirical-bregman/datasets/node';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../config/validate-run-config';
import { IN_DISTRIBUTION_TEST_FRACTION, prepareData } from './prepare-data';

const rowKey = (features: Float32Array, width: number, i: number) =>
  Array.from(features.subarray(i * width, (i + 1) * width)).join(',');

describe('prepareData: the seen-class test part of a class-disjoint run', () => {
  it('holds out 15% of each training class, out of training and validation, and none of the test classes', async () => {
    const config = validateRunConfig({ dataset: 'mnist-digits', protocol: 'class-disjoint', seed: 3 });
    const data = await prepareData(config);
    const seen = data.seenTest!;
    const all = await loadDataset('mnist-digits');
    const count = (labels: ArrayLike<number>, c: number) => Array.from(labels).filter((l) => l === c).length;
    const trainClasses = [...new Set(data.train.labels)].sort();
    expect([...new Set(seen.labels)].sort()).toEqual(trainClasses);
    for (const c of trainClasses) {
      const total = count(all.labels, c);
      // Every sample of a training class is in train or seenTest (validation holds whole other classes).
      expect(count(data.train.labels, c) + count(seen.labels, c)).toBe(total);
      expect(Math.abs(count(seen.labels, c) - IN_DISTRIBUTION_TEST_FRACTION * total)).toBeLessThanOrEqual(1);
    }
    const width = 784;
    const trained = new Set(
      Array.from({ length: data.train.labels.length }, (_, i) => rowKey(data.train.features, width, i)),
    );
    for (let i = 0; i < seen.labels.length; i++) expect(trained.has(rowKey(seen.features, width, i))).toBe(false);
    expect(new Set(data.test.labels).has(seen.labels[0]!)).toBe(false);
    expect(data.description).toMatch(/15% of each training class held out as the seen-class test part/);
  });

  it('closed-set runs have none', async () => {
    const data = await prepareData(validateRunConfig({ dataset: 'iris', protocol: 'closed-set' }));
    expect(data.seenTest).toBeUndefined();
  });
});
