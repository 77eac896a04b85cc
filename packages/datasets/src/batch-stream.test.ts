import { describe, expect, it } from 'vitest';
import { BatchStream } from './batch-stream';
import type { LabelledData } from './labelled-data';
import { MPerClassSampler } from './m-per-class-sampler';

describe('BatchStream', () => {
  it('streams augmented batches and resumes identically from a saved state', () => {
    const n = 40;
    const data: LabelledData = {
      name: 'dots',
      features: Float32Array.from({ length: n * 25 }, (_, i) => ((i * 7) % 11) / 10),
      labels: Int32Array.from({ length: n }, (_, i) => i % 4),
      sampleShape: [5, 5, 1],
      numClasses: 4,
    };
    const make = () =>
      new BatchStream(data, new MPerClassSampler(data.labels, 2, 4, { seed: 1 }), {
        augment: { maxShift: 1 },
        seed: 2,
      });
    const a = make();
    for (let i = 0; i < 7; i++) a.next();
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 10 }, () => a.next());
    const b = make();
    b.setState(saved);
    for (const e of expected) {
      const got = b.next();
      expect(Array.from(got.indices)).toEqual(Array.from(e.indices));
      expect(Array.from(got.features)).toEqual(Array.from(e.features));
    }
  });
});
