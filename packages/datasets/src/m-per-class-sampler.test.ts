import { describe, expect, it } from 'vitest';
import { MPerClassSampler } from './m-per-class-sampler';

/** Unbalanced labels: class c has 20 + 7c samples (20 … 83), 10 classes, interleaved order. */
function unbalancedLabels(): Int32Array {
  const out: number[] = [];
  for (let c = 0; c < 10; c++) for (let j = 0; j < 20 + 7 * c; j++) out.push(c);
  return Int32Array.from(out);
}

function checkBatch(batch: Int32Array, labels: Int32Array, m: number, k: number): void {
  expect(batch.length).toBe(m * k);
  const perClass = new Map<number, Set<number>>();
  for (const i of batch) {
    const set = perClass.get(labels[i]) ?? new Set<number>();
    set.add(i);
    perClass.set(labels[i], set);
  }
  expect(perClass.size).toBe(k);
  for (const set of perClass.values()) expect(set.size).toBe(m); // m distinct samples per class
}

describe('MPerClassSampler', () => {
  const labels = unbalancedLabels();

  it('gives m distinct samples of batchSize/m distinct classes on 1,000 batches, covering every sample each epoch', () => {
    const sampler = new MPerClassSampler(labels, 4, 16, { seed: 11 });
    const seenThisEpoch = new Set<number>();
    let epoch = sampler.epoch;
    let epochsChecked = 0;
    for (let b = 0; b < 1000; b++) {
      const batch = sampler.nextBatch();
      if (sampler.epoch !== epoch) {
        expect(seenThisEpoch.size).toBe(labels.length);
        seenThisEpoch.clear();
        epoch = sampler.epoch;
        epochsChecked++;
      }
      checkBatch(batch, labels, 4, 4);
      for (const i of batch) seenThisEpoch.add(i);
    }
    expect(epochsChecked).toBeGreaterThan(5);
  });

  it('is deterministic with a seed, and a restored state continues with the same batches', () => {
    const a = new MPerClassSampler(labels, 2, 8, { seed: 'run-1' });
    const b = new MPerClassSampler(labels, 2, 8, { seed: 'run-1' });
    for (let i = 0; i < 50; i++) expect(Array.from(a.nextBatch())).toEqual(Array.from(b.nextBatch()));
    // Save mid-epoch, through JSON as a checkpoint would.
    for (let i = 0; i < 300; i++) a.nextBatch();
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 200 }, () => Array.from(a.nextBatch()));
    const resumed = new MPerClassSampler(labels, 2, 8, { seed: 'something else' });
    resumed.setState(saved);
    expect(Array.from({ length: 200 }, () => Array.from(resumed.nextBatch()))).toEqual(expected);
    const other = new MPerClassSampler(labels, 2, 8, { seed: 'run-2' });
    expect(Array.from(other.nextBatch())).not.toEqual(
      Array.from(new MPerClassSampler(labels, 2, 8, { seed: 'run-1' }).nextBatch()),
    );
  });

  it('samples only from the given indices', () => {
    const indices = Int32Array.from(Array.from(labels.keys()).filter((i) => labels[i] < 5));
    const sampler = new MPerClassSampler(labels, 3, 9, { seed: 2, indices });
    for (let b = 0; b < 100; b++) {
      const batch = sampler.nextBatch();
      checkBatch(batch, labels, 3, 3);
      for (const i of batch) expect(labels[i]).toBeLessThan(5);
    }
  });

  it('gives clear errors when the batches are impossible', () => {
    expect(() => new MPerClassSampler(labels, 4, 18)).toThrow(/batchSize a positive multiple of m = 4, got 18/);
    expect(() => new MPerClassSampler(labels, 2, 24)).toThrow(/at least batchSize\/m = 24\/2 = 12 classes, got 10/);
    expect(() => new MPerClassSampler(labels, 25, 50)).toThrow(
      /at least m = 25 samples in every class, got 20 in class 0/,
    );
    expect(() => new MPerClassSampler(labels, 0, 8)).toThrow(/integer m >= 1/);
    const sampler = new MPerClassSampler(labels, 2, 8);
    expect(() => sampler.setState({ ...sampler.getState(), m: 4 })).toThrow(/saved with m = 2/);
  });
});
