import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isTransferableResult, withTransfer } from './transferable-result';

describe('withTransfer', () => {
  it('marks a result and its buffers; isTransferableResult tells it from plain values', () => {
    const indices = new Int32Array([3, 1, 2]);
    const result = withTransfer({ indices }, [indices.buffer as ArrayBuffer]);
    expect(isTransferableResult(result)).toBe(true);
    expect(result.value.indices).toBe(indices);
    for (const plain of [null, undefined, 3, 'x', { value: 1 }, { __transfer: 'yes' }, [1]]) {
      expect(isTransferableResult(plain)).toBe(false);
    }
  });

  it('its transfer list moves the buffers through postMessage (the sender keeps none)', async () => {
    const { port1, port2 } = new MessageChannel();
    const distances = new Float32Array([0.5, 1.5]);
    const result = withTransfer({ distances }, [distances.buffer as ArrayBuffer]);
    const received = new Promise<{ distances: Float32Array }>((resolve) => port2.once('message', resolve));
    port1.postMessage(result.value, result.transfer);
    expect(distances.byteLength).toBe(0);
    expect(Array.from((await received).distances)).toEqual([0.5, 1.5]);
    port1.close();
    port2.close();
  });
});
