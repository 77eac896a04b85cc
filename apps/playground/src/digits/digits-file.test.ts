import { describe, expect, it } from 'vitest';
import { decodeDigits, encodeDigits, toBytes } from './digits-file';

describe('digits file', () => {
  it('round-trips, with the header laid out as documented', () => {
    const digits = {
      count: 2,
      side: 2,
      labels: Uint8Array.of(3, 9),
      pixels: Uint8Array.of(0, 1, 2, 3, 252, 253, 254, 255),
    };
    const bytes = encodeDigits(digits);
    expect(bytes.length).toBe(12 + 2 + 8);
    expect(Array.from(bytes.slice(0, 12))).toEqual([0x45, 0x42, 0x44, 0x47, 2, 0, 0, 0, 2, 0, 0, 0]); // "EBDG", 2, 2
    const back = decodeDigits(bytes.slice().buffer);
    expect(back.count).toBe(2);
    expect(Array.from(back.labels)).toEqual([3, 9]);
    expect(Array.from(back.pixels)).toEqual([0, 1, 2, 3, 252, 253, 254, 255]);
  });

  it('refuses a foreign or truncated file', () => {
    expect(() => decodeDigits(new Uint8Array(12).buffer)).toThrow(/expected a digits file starting with "EBDG"/);
    const bytes = encodeDigits({ count: 1, side: 2, labels: Uint8Array.of(1), pixels: new Uint8Array(4) });
    expect(() => decodeDigits(bytes.slice(0, 15).buffer)).toThrow(
      'decodeDigits: expected 17 bytes for 1 digits of 2², got 15',
    );
  });

  it('toBytes rounds [0, 1] to the nearest 1/255 and clamps', () => {
    expect(Array.from(toBytes([0, 0.5, 1, -1, 2, 1 / 255]))).toEqual([0, 128, 255, 0, 255, 1]);
  });
});
