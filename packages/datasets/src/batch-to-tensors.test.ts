import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
// The shared tensor setup (runtime's initBackend + gradient check), imported here: the only file that needs it.
import '../../../tools/config/vitest.tensor-setup';
import { batchToTensors } from './batch-to-tensors';
import type { LabelledData } from './labelled-data';

const data: LabelledData = {
  name: 'tiny',
  features: Float32Array.from({ length: 5 * 4 }, (_, i) => i),
  labels: Int32Array.from([0, 1, 2, 1, 0]),
  sampleShape: [2, 2, 1],
  numClasses: 3,
};

describe('batchToTensors', () => {
  it('gathers the samples into [b, ...sampleShape] float32 and int32 labels, creating exactly two tensors', async () => {
    const before = tf.memory().numTensors;
    const { x, y } = batchToTensors(data, [3, 0]);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(x.shape).toEqual([2, 2, 2, 1]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(Array.from(await x.data())).toEqual([12, 13, 14, 15, 0, 1, 2, 3]);
    expect(Array.from(await y.data())).toEqual([1, 0]);
    tf.dispose([x, y]);
    const flat = batchToTensors(data, [4], { flatten: true });
    expect(flat.x.shape).toEqual([1, 4]);
    tf.dispose([flat.x, flat.y]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => batchToTensors(data, [5])).toThrow(/batchToTensors: expected sample indices in \[0, 5\), got 5/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
