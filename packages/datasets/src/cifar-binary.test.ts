import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCifar, parseCifarBinary } from './cifar-binary';

/** A CIFAR record written from the format: label byte(s), then 1024 R, 1024 G, 1024 B bytes. */
function record(labels: number[], r: number, g: number, b: number): Buffer {
  const out = Buffer.alloc(labels.length + 3072);
  labels.forEach((y, i) => {
    out[i] = y;
  });
  out.fill(r, labels.length, labels.length + 1024);
  out.fill(g, labels.length + 1024, labels.length + 2048);
  out.fill(b, labels.length + 2048);
  out[labels.length + 5] = 0; // red of pixel (row 0, col 5) is 0
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'eb-cifar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CIFAR binary', () => {
  it('decodes CIFAR-10 records into [0, 1] height × width × channel features', () => {
    const bytes = Buffer.concat([record([3], 255, 51, 0), record([9], 0, 0, 102)]);
    const { features, labels } = parseCifarBinary(bytes, { variant: 'cifar10' }, 'b.bin');
    expect(Array.from(labels)).toEqual([3, 9]);
    expect(features.length).toBe(2 * 3072);
    expect(Array.from(features.subarray(0, 3))).toEqual([1, Math.fround(0.2), 0]);
    expect(Array.from(features.subarray(15, 18))).toEqual([0, Math.fround(0.2), 0]); // pixel 5
    expect(features[3072 + 2]).toBe(Math.fround(0.4));
  });

  it('reads CIFAR-100 fine or coarse labels', () => {
    const bytes = Buffer.concat([record([19, 99], 1, 2, 3)]);
    expect(Array.from(parseCifarBinary(bytes, { variant: 'cifar100' }).labels)).toEqual([99]);
    expect(Array.from(parseCifarBinary(bytes, { variant: 'cifar100', labels: 'coarse' }).labels)).toEqual([19]);
  });

  it('gives clear errors for truncated files and bad labels, naming the file', () => {
    const truncated = Buffer.concat([record([1], 0, 0, 0), Buffer.alloc(100)]);
    expect(() => parseCifarBinary(truncated, { variant: 'cifar10' }, 'x.bin')).toThrow(
      /x\.bin: expected a whole number of 3073-byte cifar10 records, got 3173 bytes \(1 records and 100 bytes left over/,
    );
    expect(() => parseCifarBinary(record([10], 0, 0, 0), { variant: 'cifar10' }, 'y.bin')).toThrow(
      /y\.bin: expected labels in \[0, 10\), got 10 in record 0/,
    );
    expect(() => parseCifarBinary(record([1, 2], 0, 0, 0), { variant: 'cifar10' }, 'z.bin')).toThrow(/3073-byte/);
  });

  it('loads the official directory layout with train then test', async () => {
    mkdirSync(join(dir, 'cifar-10-batches-bin'));
    for (let b = 1; b <= 5; b++)
      writeFileSync(join(dir, 'cifar-10-batches-bin', `data_batch_${b}.bin`), record([b], 0, 0, 0));
    writeFileSync(
      join(dir, 'cifar-10-batches-bin', 'test_batch.bin'),
      Buffer.concat([record([0], 0, 0, 0), record([7], 0, 0, 0)]),
    );
    const data = await loadCifar(dir, { variant: 'cifar10' });
    expect(Array.from(data.labels)).toEqual([1, 2, 3, 4, 5, 0, 7]);
    expect(data.sampleShape).toEqual([32, 32, 3]);
    expect(Array.from(data.predefinedSplit!.test)).toEqual([5, 6]);
    await expect(loadCifar(dir, { variant: 'cifar100' })).rejects.toThrow(
      /expected the CIFAR batch .*cifar-100-binary\/train\.bin/,
    );
  });
});
