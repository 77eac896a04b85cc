import { loadDataset } from '@empirical-bregman/datasets/node';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../config/validate-run-config';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  autoValidationClasses,
  classList,
  IN_DISTRIBUTION_TEST_FRACTION,
  MIN_SEEN_TEST_ITEMS,
  prepareData,
} from './prepare-data';

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

  it('holds nothing out when 15% of the training classes is fewer than MIN_SEEN_TEST_ITEMS samples, and says so', async () => {
    // 4 classes × 12 rows: training classes 0 and 1 (validation by samples), 15% of each ≈ 2 → 4 held-out items.
    const dir = mkdtempSync(join(tmpdir(), 'eb-seen-'));
    const csv = join(dir, 'small.csv');
    const lines = Array.from({ length: 48 }, (_, i) => `${i % 7},${(i * 3) % 5},c${i % 4}`);
    writeFileSync(csv, `a,b,label\n${lines.join('\n')}\n`);
    try {
      const data = await prepareData(validateRunConfig({ data: csv, protocol: 'class-disjoint', seed: 1 }));
      expect(data.seenTest).toBeUndefined();
      expect(data.description).toMatch(
        new RegExp(
          `no seen-class test part \\(15% of each training class gives \\d+ samples, fewer than ${MIN_SEEN_TEST_ITEMS}\\)`,
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closed-set runs have none', async () => {
    const data = await prepareData(validateRunConfig({ dataset: 'iris', protocol: 'closed-set' }));
    expect(data.seenTest).toBeUndefined();
  });
});

describe('autoValidationClasses', () => {
  it('holds out a tenth of the training classes, at least 2 (5 → 2, 21 → 3, 100 → 10, 938 emoji → 94)', () => {
    expect([3, 5, 20, 21, 100, 938].map(autoValidationClasses)).toEqual([2, 2, 2, 3, 10, 94]);
  });
});

describe('classList', () => {
  it('writes runs of three or more consecutive labels as ranges, in order', () => {
    expect(classList([5, 6, 7, 8, 9])).toBe('5–9');
    expect(classList(new Set([3, 0, 1, 2, 10, 11, 20]))).toBe('0–3, 10, 11, 20');
    expect(classList([4])).toBe('4');
    expect(classList([])).toBe('');
  });
});
