import { describe, expect, it } from 'vitest';
import { type LabelledData, subsetData, validateLabelledData } from './labelled-data';
import { expectDatasetError } from './testing/expect-dataset-error';

const data: LabelledData = {
  name: 'styles',
  features: Float32Array.from([0, 1, 2, 3, 4, 5]),
  labels: Int32Array.from([0, 0, 1]),
  sampleShape: [2],
  numClasses: 2,
  domains: Int32Array.from([0, 1, 1]),
  domainNames: ['pen', 'brush'],
};

describe('domains of a LabelledData', () => {
  it('follow their samples through subsetData', () => {
    const part = subsetData(data, [2, 0]);
    expect(Array.from(part.features)).toEqual([4, 5, 0, 1]);
    expect(Array.from(part.domains!)).toEqual([1, 0]);
    expect(part.domainNames).toEqual(['pen', 'brush']);
    expect(subsetData({ ...data, domains: undefined, domainNames: undefined }, [0]).domains).toBeUndefined();
  });

  it('are checked: one per sample, with names, each in range', async () => {
    expect(validateLabelledData(data)).toBe(data);
    await expectDatasetError(
      () => validateLabelledData({ ...data, domains: Int32Array.from([0, 1]) }),
      'INVALID_SHAPE',
      /^validateLabelledData: expected domains for all 3 samples and their domainNames, got 2 domains and 2 names$/,
    );
    await expectDatasetError(
      () => validateLabelledData({ ...data, domainNames: undefined }),
      'INVALID_SHAPE',
      /got 3 domains and 0 names$/,
    );
    await expectDatasetError(
      () => validateLabelledData({ ...data, domains: Int32Array.from([0, 2, 1]) }),
      'OUT_OF_DOMAIN',
      /^validateLabelledData: expected domains in \[0, 2\), got 2 at sample 1$/,
    );
  });
});
