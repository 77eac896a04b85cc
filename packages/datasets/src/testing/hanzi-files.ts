import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Test helper: hand-drawn stroke centre-lines in hanzi-writer-data's format (font units in a 1024 box, y up, top at
 * 900), for characters of the CJK Unified Ideographs block, one radical below it (⺀, U+2E80) and one of Extension A
 * (㐀, U+3400). Not the package's data: simple shapes, enough to tell the characters apart.
 */
export const TEST_HANZI: Readonly<Record<string, readonly (readonly [number, number])[][]>> = {
  一: [
    [
      [120, 390],
      [900, 410],
    ],
  ],
  二: [
    [
      [250, 650],
      [760, 650],
    ],
    [
      [110, 200],
      [910, 210],
    ],
  ],
  三: [
    [
      [200, 700],
      [800, 700],
    ],
    [
      [260, 430],
      [740, 430],
    ],
    [
      [110, 130],
      [910, 140],
    ],
  ],
  十: [
    [
      [110, 420],
      [910, 420],
    ],
    [
      [510, 820],
      [510, -60],
    ],
  ],
  丁: [
    [
      [130, 720],
      [890, 720],
    ],
    [
      [510, 720],
      [510, -40],
      [430, 20],
    ],
  ],
  七: [
    [
      [100, 400],
      [900, 500],
    ],
    [
      [400, 800],
      [400, 100],
      [500, 20],
      [850, 40],
      [880, 150],
    ],
  ],
  人: [
    [
      [500, 820],
      [460, 500],
      [300, 200],
      [80, -40],
    ],
    [
      [480, 520],
      [650, 250],
      [930, -30],
    ],
  ],
  '⺀': [
    [
      [300, 500],
      [400, 400],
    ],
    [
      [600, 500],
      [700, 400],
    ],
  ],
  㐀: [
    [
      [200, 600],
      [800, 600],
    ],
  ],
};

/**
 * Writes `characters` (default all of {@link TEST_HANZI}) as `<character>.json` files, with the `strokes` outlines
 * the real files have (unused by the renderer) and a `package.json`, into `folder` — the layout of an extracted
 * hanzi-writer-data package. Returns the folder.
 */
export function writeHanziFolder(folder: string, characters: readonly string[] = Object.keys(TEST_HANZI)): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'hanzi-writer-data', version: '2.0.1' }));
  for (const ch of characters) {
    const medians = TEST_HANZI[ch]!;
    const strokes = medians.map((m) => `M ${m[0]![0]} ${m[0]![1]} L ${m.at(-1)![0]} ${m.at(-1)![1]} Z`);
    writeFileSync(join(folder, `${ch}.json`), JSON.stringify({ strokes, medians }));
  }
  return folder;
}
