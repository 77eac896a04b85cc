import { describe, expect, it } from 'vitest';
import { expectDatasetError } from '../testing/expect-dataset-error';
import { parseHanziCharacter } from './parse-hanzi-character';

describe('parseHanziCharacter', () => {
  it('keeps the medians as flat point lists, stroke by stroke', () => {
    const parsed = parseHanziCharacter(
      '十',
      '{"strokes": ["M 1 2 Z", "M 3 4 Z"], "medians": [[[110, 420], [910, 420]], [[510, 820], [510, -60], [500, -70]]], "radStrokes": [1]}',
      '十.json',
    );
    expect(parsed.character).toBe('十');
    expect(parsed.medians.map((m) => Array.from(m))).toEqual([
      [110, 420, 910, 420],
      [510, 820, 510, -60, 500, -70],
    ]);
  });

  it('refuses malformed files naming the file and what is wrong', async () => {
    for (const [json, pattern] of [
      ['{"medians": [[[1, 2]]', /^parseHanziCharacter: x\.json: expected JSON, got text that does not parse$/],
      ['{"strokes": []}', /expected a non-empty "medians" array, got undefined$/],
      ['{"medians": []}', /expected a non-empty "medians" array, got an empty one$/],
      ['{"medians": [[]]}', /expected stroke 0 as a non-empty list of \[x, y\] points$/],
      [
        '{"medians": [[[1, 2]], [[1, 2], [3]]]}',
        /expected point 1 of stroke 1 as \[x, y\] with finite numbers, got \[3\]$/,
      ],
      ['{"medians": [[["1", 2]]]}', /expected point 0 of stroke 0 .* got \["1",2\]$/],
      ['null', /expected a non-empty "medians" array, got undefined$/],
    ] as const) {
      await expectDatasetError(() => parseHanziCharacter('x', json, 'x.json'), 'BAD_FORMAT', pattern);
    }
  });
});
