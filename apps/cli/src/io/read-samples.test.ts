import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from './npy';
import { readSamples } from './read-samples';

const dir = mkdtempSync(join(tmpdir(), 'eb-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const row = (n: number, v = 1) => Array.from({ length: n }, () => v).join(',');

describe('readSamples', () => {
  it('reads CSV rows, JSON rows and .npy arrays of the right width', () => {
    expect(readSamples(file('ok.csv', `${row(3)}\n\n${row(3, 2)}\n`), 3)).toEqual({
      features: Float32Array.from([1, 1, 1, 2, 2, 2]),
      count: 2,
    });
    expect(readSamples(file('ok.json', '[[1,2,3],[4,5,6]]'), 3).count).toBe(2);
    expect(readSamples(file('flat.json', '{"features":[1,2,3,4,5,6]}'), 3).count).toBe(2);
    expect(readSamples(file('ok.npy', encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3])), 3).count).toBe(2);
  });

  it('refuses ragged rows instead of re-cutting them (12 + 14 values for a 13-feature model)', () => {
    expect(() => readSamples(file('ragged.csv', `${row(12)}\n${row(14)}\n`), 13)).toThrow(
      /^numericRows: .*ragged\.csv: expected 13 values in every row, got 12 at row 1 \(ragged rows\)$/,
    );
    expect(() => readSamples(file('ragged.json', '[[1,2],[3,4,5,6]]'), 3)).toThrow(
      /ragged\.json: expected 3 values in every row, got 2 at row 1/,
    );
  });

  it('refuses values that are not finite float32 decimals, naming row and column', () => {
    expect(() => readSamples(file('big.csv', '1,2\n3,1e39\n'), 2)).toThrow(
      /big\.csv: expected a value within float32's range \(±3\.4e38\), got 1e\+39 at row 2, column 2$/,
    );
    expect(() => readSamples(file('hex.csv', '0x1F,2\n'), 2)).toThrow(
      /expected a decimal number, got "0x1F" at row 1, column 1$/,
    );
    expect(() => readSamples(file('inf.csv', '1e400,2\n'), 2)).toThrow(/got Infinity at row 1, column 1$/);
    expect(() => readSamples(file('big.json', '[[1, 1e39]]'), 2)).toThrow(/float32's range.*row 1, column 2$/);
    expect(() => readSamples(file('wide.npy', encodeNpy(Float32Array.from([1, 2, 3, 4]), [1, 4])), 2)).toThrow(
      /expected samples of 2 values each in .*wide\.npy, got an array of shape \[1, 4\] \(4 per sample\)/,
    );
  });
});
