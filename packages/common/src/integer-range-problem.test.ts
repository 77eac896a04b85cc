import { describe, expect, it } from 'vitest';
import { integerRangeProblem } from './integer-range-problem';

describe('integerRangeProblem', () => {
  it('accepts integers in range and words the rest', () => {
    expect(integerRangeProblem('k', 3, 1, 5)).toBeNull();
    expect(integerRangeProblem('k', 0, 1, 5)).toBe('expected k to be an integer in [1, 5], got 0');
    expect(integerRangeProblem('k', 2.5, 1)).toBe('expected k to be an integer ≥ 1, got 2.5');
    expect(integerRangeProblem('k', '3', 1)).toBe('expected k to be an integer ≥ 1, got "3"');
  });
});
