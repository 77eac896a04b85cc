import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '@empirical-bregman/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../report/encode-png';
import { runCli } from '../testing/run-cli';

// The emoji dataset through the CLI, on a cache folder the test writes ($BREGMAN_DATA_DIR): two fake vendor packages
// in the layout `bregman data fetch emoji` leaves (emoji.json + img/<vendor>/64/*.png), 10 emoji, each drawn by both
// vendors as an 8 × 8 grey PNG (a bright row whose position is the class, plus vendor-specific noise).
const root = mkdtempSync(join(tmpdir(), 'eb-emoji-cli-'));
const saved = process.env.BREGMAN_DATA_DIR;
afterAll(() => {
  if (saved === undefined) delete process.env.BREGMAN_DATA_DIR;
  else process.env.BREGMAN_DATA_DIR = saved;
  rmSync(root, { recursive: true, force: true });
});

const CLASSES = 10;

beforeAll(() => {
  process.env.BREGMAN_DATA_DIR = join(root, 'cache');
  for (const [v, vendor] of ['google', 'twitter'].entries()) {
    const rng = new SeededRandom(v + 1);
    const dir = join(root, 'cache', 'emoji', `emoji-datasource-${vendor}-16.0.0`);
    mkdirSync(join(dir, 'img', vendor, '64'), { recursive: true });
    const entries = Array.from({ length: CLASSES }, (_, c) => ({
      unified: `1F60${c}`,
      short_name: `face-${c}`,
      image: `1f60${c}.png`,
      sort_order: c,
      has_img_google: true,
      has_img_twitter: true,
    }));
    writeFileSync(join(dir, 'emoji.json'), JSON.stringify(entries));
    for (let c = 0; c < CLASSES; c++) {
      const pixels = Array.from({ length: 64 }, (_, p) => (Math.floor(p / 8) === c % 8 ? 0.9 : rng.int(80) / 255));
      // Classes 8 and 9 reuse rows 0 and 1: a brighter second row keeps their drawings distinct.
      if (c >= 8) for (let p = 8 * ((c + 3) % 8); p < 8 * ((c + 3) % 8) + 8; p++) pixels[p] = 0.6;
      writeFileSync(join(dir, 'img', vendor, '64', `1f60${c}.png`), encodePng(pixels, 8, 8));
    }
  }
});

describe('bregman with the emoji dataset', () => {
  it('data list shows it available with its size on disk, licence and attribution; data fetch finds it in place', async () => {
    const list = await runCli('data', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^\| emoji \| yes \| download \| 1,876 \| 3,752 \| \d+\.\d kB \| Google\/Noto artwork Apache-2\.0; Twemoji artwork CC BY 4\.0; .* \|$/m,
    );
    expect(list.stdout).toMatch(
      /^Attribution:\n- emoji: Twemoji graphics © Twitter, Inc and other contributors, CC BY 4\.0/m,
    );
    const fetched = await runCli('data', 'fetch', 'emoji');
    expect(fetched).toEqual({ code: 0, stdout: `fetched emoji into ${join(root, 'cache', 'emoji')}\n`, stderr: '' });
  });

  it('trains class-disjoint and tests cross-vendor retrieval: each query has one relevant item, MAP@R = P@1', async () => {
    const out = join(root, 'runs');
    const done = await runCli(
      'train',
      '--dataset',
      'emoji',
      '--protocol',
      'class-disjoint',
      '--divergence',
      'euclidean',
      '--epochs',
      '1',
      '--steps-per-epoch',
      '2',
      '--batch-size',
      '6',
      '--hidden',
      '8',
      '--embedding-dim',
      '4',
      '--seed',
      '1',
      '--out',
      out,
      '--quiet',
    );
    expect(done.code, done.stderr).toBe(0);
    const [run] = readdirSync(out);
    const results = JSON.parse(readFileSync(join(out, run!, 'results.json'), 'utf8')) as {
      notes: string[];
      results: { model: string; metrics: Record<string, number> }[];
    };
    const notes = results.notes.join('\n');
    expect(notes).toContain('class-disjoint: train classes 0–2, validation classes 3, 4, test classes 5–9');
    // Two drawings per class (one per vendor): 15% of 2 holds out none, so the run states it has no detection.
    expect(notes).toContain(
      'no seen-class test part (15% of each training class gives 0 samples, fewer than 20), so no unseen-class detection',
    );
    expect(results.results.some((row) => Object.keys(row.metrics).some((k) => k.startsWith('unseen')))).toBe(false);
    expect(notes).toContain(
      "cross-domain retrieval (google / twitter): each google or twitter test item queries the other domain's items only (validation likewise); one relevant item per query, so MAP@R = R-precision = P@1",
    );
    expect(notes).toContain(
      "Recall@8 not applicable: a query's references are the other domains' test items, 5 at fewest, so K ≤ 5",
    );
    for (const row of results.results) {
      expect(row.metrics.mapAtR).toBeCloseTo(row.metrics.precisionAt1!, 10);
      expect(row.metrics.rPrecision).toBeCloseTo(row.metrics.precisionAt1!, 10);
      // Five references per query (the other vendor's five test drawings): Recall@8 is not defined.
      expect(Object.keys(row.metrics).filter((k) => k.startsWith('recallAt'))).toEqual([
        'recallAt1',
        'recallAt2',
        'recallAt4',
      ]);
    }
  });
});
