import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../config/validate-run-config';
import { samplerShape } from './retrieval-task';

/** Labels with `counts[c]` samples of class c. */
const labels = (...counts: number[]) => Int32Array.from(counts.flatMap((n, c) => Array<number>(n).fill(c)));
const config = (settings: Record<string, unknown>) => validateRunConfig({ dataset: 'wine', ...settings });

describe('samplerShape', () => {
  it('keeps m = batchSize / classes when every class has that many samples', () => {
    expect(samplerShape(config({ batchSize: 120 }), labels(40, 50, 45))).toEqual({ m: 40, batchSize: 120 });
  });

  it('lowers an automatic m to the smallest training class and says so (wine closed-set: 38 in class 0)', () => {
    const shape = samplerShape(config({ batchSize: 120 }), labels(38, 50, 45));
    expect(shape).toMatchObject({ m: 38, batchSize: 114 });
    expect(shape.adapted).toBe(
      'samples per class lowered from 40 (batch size 120 / 3 classes) to 38, the size of the smallest training class (set --samples-per-class to choose)',
    );
  });

  it('refuses a given m that a class cannot fill, naming the classes and the flag', () => {
    expect(() => samplerShape(config({ samplesPerClass: 40 }), labels(38, 50, 12))).toThrow(
      /^config: --samples-per-class 40 needs at least 40 training samples in every class, but class 0 has 38, class 2 has 12: use --samples-per-class 12 or less$/,
    );
  });

  it('refuses a batch size that is not a multiple of the given m, naming the valid sizes', () => {
    expect(() => samplerShape(config({ samplesPerClass: 5, batchSize: 12 }), labels(40, 40, 40))).toThrow(
      /^config: --batch-size 12 is not a multiple of --samples-per-class 5: use --batch-size 10 or 15$/,
    );
  });

  it('refuses a class with a single training sample', () => {
    expect(() => samplerShape(config({ batchSize: 12 }), labels(30, 1, 30))).toThrow(
      /needs at least 2 training samples in every class, but class 1 has 1/,
    );
  });
});
