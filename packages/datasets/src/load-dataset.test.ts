import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { DEBIAN_FASHION_MNIST_DIR, findIdxFiles } from './find-idx-files';
import { listDatasets, loadDataset } from './load-dataset';

const emptyCache = mkdtempSync(join(tmpdir(), 'eb-cache-'));
afterAll(() => rmSync(emptyCache, { recursive: true, force: true }));

describe('listDatasets / loadDataset', () => {
  it('lists the embedded default first, with availability', () => {
    const list = listDatasets({ dataDir: emptyCache });
    expect(list[0]).toMatchObject({ name: 'mnist-digits', source: 'embedded', available: true });
    const byName = new Map(list.map((d) => [d.name, d]));
    expect(byName.get('iris')).toMatchObject({ available: true, classDisjoint: false });
    expect(byName.get('mnist')).toMatchObject({ available: false, source: 'download' });
    expect(byName.get('cifar10')?.available).toBe(false);
  });

  it('gives a clear error for unknown names and for missing files', async () => {
    try {
      await loadDataset('mnsit');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as DatasetError).code).toBe('NOT_FOUND');
      expect((error as Error).message).toMatch(/^loadDataset: expected one of mnist-digits, iris, .*got "mnsit"$/);
    }
    await expect(loadDataset('kmnist', { dataDir: emptyCache })).rejects.toThrow(
      /expected the kmnist files in .*eb-cache-.*\/kmnist, got none; pass \{ download: true \}/,
    );
  });

  it('loads bundled and synthetic sets by name', async () => {
    expect((await loadDataset('wine')).labels.length).toBe(178);
    const g = await loadDataset('gaussian-mixture', { numClasses: 5, dim: 3, perClass: 10, seed: 1 });
    expect(g.labels.length).toBe(50);
    expect((await loadDataset('mnist-digits', { maxPerClass: 10 })).labels.length).toBe(100);
  });

  // Real files, never a skip: `pnpm test` installs Debian's dataset-fashion-mnist first (tools/prereqs).
  it(`Fashion-MNIST from the Debian package at ${DEBIAN_FASHION_MNIST_DIR}`, async () => {
    if (!findIdxFiles([DEBIAN_FASHION_MNIST_DIR]))
      throw new Error(
        `expected Debian's dataset-fashion-mnist at ${DEBIAN_FASHION_MNIST_DIR}, got none: run pnpm test (it installs it as root) or apt-get install dataset-fashion-mnist`,
      );
    const data = await loadDataset('fashion-mnist', { dataDir: emptyCache });
    expect(data.predefinedSplit?.train.length).toBe(60_000);
    expect(data.predefinedSplit?.test.length).toBe(10_000);
    expect(data.labels.length).toBe(70_000);
    expect(data.sampleShape).toEqual([28, 28, 1]);
    const counts = new Array(10).fill(0);
    for (const y of data.labels) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(7000)); // 6,000 train + 1,000 test per class
    let max = 0;
    for (let i = 0; i < data.features.length; i += 97) max = Math.max(max, data.features[i]);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.9);
    expect(data.classNames?.[9]).toBe('Ankle boot');
  });
});
