import { DatasetError } from '../dataset-error';

/**
 * One character of `hanzi-writer-data` (one `<character>.json` file; data from the Make Me a Hanzi project, Arphic
 * fonts): the centre-line ("median") of each stroke, in stroke order, as points in the font's 1024-unit em box with
 * y pointing up — the box spans x ∈ [0, 1024], y ∈ [−124, 900], so the top-left corner is (0, 900).
 * The files' `strokes` (SVG outlines) are not kept: the renderer draws along the medians.
 */
export interface HanziCharacter {
  readonly character: string;
  /** medians[s] = [x0, y0, x1, y1, …] of stroke s, font units, y up. */
  readonly medians: readonly Float32Array[];
}

/**
 * Reads one character file's JSON (`{ "strokes": [...], "medians": [[[x, y], …], …] }`) into a {@link HanziCharacter};
 * anything else is a `BAD_FORMAT` {@link DatasetError} naming `source`.
 *
 * ```ts
 * parseHanziCharacter('一', '{"strokes": ["M 0 0 Z"], "medians": [[[121, 393], [920, 401]]]}', '一.json');
 * ```
 */
export function parseHanziCharacter(character: string, json: string, source: string): HanziCharacter {
  const fail = (what: string): never => {
    throw new DatasetError('parseHanziCharacter', 'BAD_FORMAT', `${source}: expected ${what}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    fail('JSON, got text that does not parse');
  }
  const medians = (value as { medians?: unknown } | null)?.medians;
  if (!Array.isArray(medians) || medians.length === 0) {
    fail(`a non-empty "medians" array, got ${Array.isArray(medians) ? 'an empty one' : typeof medians}`);
  }
  const strokes = (medians as unknown[]).map((stroke, s) => {
    if (!Array.isArray(stroke) || stroke.length === 0) fail(`stroke ${s} as a non-empty list of [x, y] points`);
    const points = new Float32Array((stroke as unknown[]).length * 2);
    (stroke as unknown[]).forEach((point, k) => {
      if (
        !Array.isArray(point) ||
        point.length !== 2 ||
        !Number.isFinite(point[0]) ||
        !Number.isFinite(point[1]) ||
        typeof point[0] !== 'number' ||
        typeof point[1] !== 'number'
      ) {
        fail(`point ${k} of stroke ${s} as [x, y] with finite numbers, got ${JSON.stringify(point)}`);
      }
      points[2 * k] = (point as number[])[0]!;
      points[2 * k + 1] = (point as number[])[1]!;
    });
    return points;
  });
  return { character, medians: strokes };
}
