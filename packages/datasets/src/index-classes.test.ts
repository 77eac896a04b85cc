import { describe, expect, it } from 'vitest';
import { indexClasses } from './index-classes';

describe('indexClasses', () => {
  it('sorts integer labels by value and maps them to 0..C−1', () => {
    const { labels, classNames } = indexClasses(['10', '2', '10', '-1', '07', '7']);
    expect(classNames).toEqual(['-1', '2', '7', '10']);
    expect(Array.from(labels)).toEqual([3, 1, 3, 0, 2, 2]);
  });

  it('sorts text labels by code units, whatever the locale', () => {
    const { labels, classNames } = indexClasses(['b', 'B', 'a', '10', 'é']);
    expect(classNames).toEqual(['10', 'B', 'a', 'b', 'é']);
    expect(Array.from(labels)).toEqual([3, 1, 2, 0, 4]);
  });

  it('keeps 64-bit integer ids apart', () => {
    expect(indexClasses(['9007199254740993', '9007199254740992']).classNames).toEqual([
      '9007199254740992',
      '9007199254740993',
    ]);
  });
});
