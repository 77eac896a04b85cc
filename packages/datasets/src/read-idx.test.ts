import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { loadIdxDataset } from './load-idx-dataset';
import { parseIdx, readIdxFile } from './read-idx';

const dir = mkdtempSync(join(tmpdir(), 'eb-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file written byte by byte from the format description: 00 00 type rank, big-endian dims, data. */
function idxBytes(type: number, dims: number[], data: number[], bytesPerValue = 1): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  for (let i = 0; i < dims.length; i++) header.writeUInt32BE(dims[i], 4 + 4 * i);
  const body = Buffer.alloc(data.length * bytesPerValue);
  data.forEach((v, i) => {
    if (type === 0x08) body.writeUInt8(v, i);
    else if (type === 0x0b) body.writeInt16BE(v, 2 * i);
    else if (type === 0x0d) body.writeFloatBE(v, 4 * i);
  });
  return Buffer.concat([header, body]);
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

// Three 2 × 3 "images" and their labels.
const pixels = [0, 51, 255, 102, 0, 0, 1, 2, 3, 4, 5, 6, 255, 255, 255, 0, 0, 0];
const imageFile = idxBytes(0x08, [3, 2, 3], pixels);
const labelFile = idxBytes(0x08, [3], [4, 0, 9]);

function expectBadFormat(fn: () => unknown, file: string, problem: RegExp): void {
  try {
    fn();
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('BAD_FORMAT');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(problem);
  }
}

describe('IDX reader', () => {
  it('reads raw and gzip files back exactly', async () => {
    for (const [name, bytes] of [
      ['images.idx3', imageFile],
      ['images.idx3.gz', gzipSync(imageFile)],
    ] as const) {
      const idx = await readIdxFile(write(name, bytes));
      expect(idx.dtype).toBe('uint8');
      expect(idx.dims).toEqual([3, 2, 3]);
      expect(Array.from(idx.data)).toEqual(pixels);
    }
    const shorts = parseIdx(idxBytes(0x0b, [2, 2], [-300, 7, 32767, -1], 2), 'shorts');
    expect(shorts.dtype).toBe('int16');
    expect(Array.from(shorts.data)).toEqual([-300, 7, 32767, -1]);
    const floats = parseIdx(idxBytes(0x0d, [3], [0.5, -2.25, 1e6], 4), 'floats');
    expect(Array.from(floats.data)).toEqual([0.5, -2.25, 1e6]);
  });

  it('gives a clear error naming the file for each header problem', () => {
    const wrongMagic = Buffer.from(imageFile);
    wrongMagic[0] = 0x12;
    expectBadFormat(() => parseIdx(wrongMagic, 'a.idx'), 'a.idx', /magic number starting with 00 00, got 12 00 08 03/);
    const wrongType = Buffer.from(imageFile);
    wrongType[2] = 0x07;
    expectBadFormat(() => parseIdx(wrongType, 'b.idx'), 'b.idx', /type byte .* got 07/);
    const extra = Buffer.concat([imageFile, Buffer.from([1, 2])]);
    expectBadFormat(() => parseIdx(extra, 'c.idx'), 'c.idx', /expected 18 data bytes .* got 20 \(dims disagree/);
    expectBadFormat(() => parseIdx(imageFile.subarray(0, 20), 'd.idx'), 'd.idx', /got 4 \(truncated file\)/);
    expectBadFormat(
      () => parseIdx(imageFile.subarray(0, 9), 'e.idx'),
      'e.idx',
      /16-byte header for 3 dimensions, got 9 bytes \(truncated header\)/,
    );
    expectBadFormat(() => parseIdx(gzipSync(imageFile).subarray(0, 15), 'f.gz'), 'f.gz', /truncated/);
  });

  it('loads image/label pairs as [0, 1] features and refuses a label count that differs from the image count', async () => {
    const images = write('im.gz', gzipSync(imageFile));
    const labels = write('lb', labelFile);
    const data = await loadIdxDataset([[images, labels]], { name: 'tiny' });
    expect(data.sampleShape).toEqual([2, 3, 1]);
    expect(Array.from(data.labels)).toEqual([4, 0, 9]);
    expect(data.numClasses).toBe(10);
    expect(data.features[1]).toBeCloseTo(0.2, 7);
    expect(data.features[2]).toBe(1);
    const twoLabels = write('lb2', idxBytes(0x08, [2], [1, 2]));
    await expect(loadIdxDataset([[images, twoLabels]])).rejects.toThrow(
      /lb2: expected 3 labels \(one per image of .*im\.gz\), got 2 \(label count ≠ image count\)/,
    );
    await expect(readIdxFile(join(dir, 'missing'))).rejects.toThrow(/readable IDX file at .*missing/);
  });
});
