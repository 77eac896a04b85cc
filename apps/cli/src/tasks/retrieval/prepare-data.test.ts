import { describe, expect, it } from 'vitest';
import { classList } from './prepare-data';

describe('classList', () => {
  it('writes runs of three or more consecutive labels as ranges, in order', () => {
    expect(classList([5, 6, 7, 8, 9])).toBe('5–9');
    expect(classList(new Set([3, 0, 1, 2, 10, 11, 20]))).toBe('0–3, 10, 11, 20');
    expect(classList([4])).toBe('4');
    expect(classList([])).toBe('');
  });
});
