import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SeededRandom } from '@empirical-bregman/common';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '../report/encode-png';
import { runBregman } from '../testing/run-bregman';

// Users' data in: the built `bregman` binary trains on a CSV and on a PNG folder the test writes, and the run's
// model folder says how to turn raw input into embeddings (model/manifest.json); bad files are one line and an exit
// code; a resume on changed files is refused.
const root = mkdtempSync(join(tmpdir(), 'eb-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TINY = ['--protocol', 'closed-set', '--hidden', '16', '--embedding-dim', '4', '--icnn-hidden', '8'];
const FAST = ['--epochs', '2', '--steps-per-epoch', '3', '--patience', '0', '--quiet'];

const onlyRun = (out: string) => {
  const dirs = readdirSync(out);
  expect(dirs).toHaveLength(1);
  return join(out, dirs[0]!);
};
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** 3 species × 30 rows, 4 features around a per-class centre, labels as strings, one quoted name column. */
function writeCsv(path: string, seed = 1): void {
  const rng = new SeededRandom(seed);
  const rows = ['"sepal, length",width,petal,tip,label'];
  for (const [c, name] of ['setosa', 'versicolor', 'virginica'].entries())
    for (let i = 0; i < 30; i++)
      rows.push([0, 1, 2, 3].map((j) => (c * 2 + j * 0.1 + rng.normal(0, 0.3)).toFixed(3)).join(',') + `,${name}`);
  writeFileSync(path, `${rows.join('\n')}\n`);
}

/** An image folder: 3 classes × 12 grey 8×8 PNGs (a bright row whose position is the class, plus noise). */
function writePngFolder(dir: string): void {
  const rng = new SeededRandom(2);
  for (const c of [0, 1, 2]) {
    mkdirSync(join(dir, `class-${c}`), { recursive: true });
    for (let i = 0; i < 12; i++) {
      const pixels = Array.from({ length: 64 }, (_, p) => (Math.floor(p / 8) === c * 3 ? 0.9 : rng.int(60) / 255));
      writeFileSync(join(dir, `class-${c}`, `${i}.png`), encodePng(pixels, 8, 8));
    }
  }
}

describe('bregman train --data', () => {
  it('trains on a CSV with a header and string labels; the model folder holds the standardiser and class names', async () => {
    const csv = join(root, 'flowers.csv');
    writeCsv(csv);
    const out = join(root, 'csv-run');
    const done = await runBregman(['train', '--data', csv, ...TINY, ...FAST, '--batch-size', '12', '--out', out]);
    expect(done.status, done.stderr).toBe(0);
    const dir = onlyRun(out);
    expect(dir).toMatch(/-flowers-closed-set-icnn$/);
    const manifest = json(join(dir, 'model', 'manifest.json'));
    expect(manifest).toMatchObject({
      schemaVersion: 1,
      format: 'empirical-bregman-model',
      trunk: 'model.json',
      divergence: 'divergence.json',
      embeddingDim: 4,
      labels: { names: ['setosa', 'versicolor', 'virginica'] },
      input: { kind: 'table', sampleShape: [4], featureNames: ['sepal, length', 'width', 'petal', 'tip'] },
      data: { source: csv },
    });
    expect(manifest.input.standardizer.mean).toHaveLength(4);
    expect(manifest.data.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(dir, 'model', 'model.json'))).toBe(true);
  });

  it('trains a CNN on a PNG folder (one sub-folder per class); the manifest says images are divided by 255', async () => {
    const images = join(root, 'shapes');
    writePngFolder(images);
    const out = join(root, 'png-run');
    const done = await runBregman(['train', '--data', images, ...TINY, ...FAST, '--batch-size', '12', '--out', out]);
    expect(done.status, done.stderr).toBe(0);
    const dir = onlyRun(out);
    const manifest = json(join(dir, 'model', 'manifest.json'));
    expect(manifest.input).toEqual({ kind: 'image', sampleShape: [8, 8, 1], divisor: 255 });
    expect(manifest.labels.names).toEqual(['class-0', 'class-1', 'class-2']);
    const topology = readFileSync(join(dir, 'model', 'model.json'), 'utf8');
    expect(topology).toContain('Conv2D');
  });

  it('refuses to resume on files that changed since the run started (exit code 3), and resumes on the same', async () => {
    const csv = join(root, 'changing.csv');
    writeCsv(csv);
    const out = join(root, 'changing');
    const args = ['train', '--data', csv, ...TINY, ...FAST, '--batch-size', '12', '--out', out];
    expect((await runBregman(args, { env: { BREGMAN_FAULT: 'after-checkpoint:2' } })).signal).toBe('SIGKILL');
    const dir = onlyRun(out);
    writeCsv(csv, 2);
    const refused = await runBregman(['train', '--resume', dir, '--quiet']);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(
      /^bregman: resume: expected the data this run started on .* the data changed since the run started; start a new run\n$/,
    );
    writeCsv(csv, 1);
    const resumed = await runBregman(['train', '--resume', dir, '--quiet']);
    expect(resumed.status, resumed.stderr).toBe(0);
  });

  const bad: [string, string, string | null, RegExp, number][] = [
    ['an empty file', 'empty.csv', '', /empty\.csv/, 3],
    ['a ragged row', 'ragged.csv', 'a,b,label\n1,2,x\n1,x\n', /ragged\.csv/, 3],
    ['a non-numeric cell', 'text.csv', 'a,b,label\n1,2,x\n1,hello,y\n', /"hello"/, 3],
    ['one class', 'one.csv', 'a,b,label\n1,2,x\n3,4,x\n', /one\.csv/, 3],
    ['no label column', 'nolabel.csv', 'a,b,c\n1,2,3\n', /label/, 3],
    ['a missing path', 'missing.csv', null, /missing\.csv/, 3],
    ['a NaN cell', 'nan.csv', 'a,b,label\n1,2,x\n1,NaN,y\n1,2,y\n', /"NaN"/, 3],
    ['an infinite value', 'inf.csv', 'a,b,label\n1,2,x\n1,1e400,y\n1,2,y\n', /Infinity/, 3],
    ['a float32 overflow', 'big.csv', 'a,b,label\n1,2,x\n1,1e39,y\n1,2,y\n', /float32's range/, 3],
    ['an unknown format', 'weird.xyz', 'x', /expected a \.csv, \.tsv, \.npy or \.npz file/, 2],
  ];
  it('refuses an unreadable image and mixed image sizes without --image-size, naming the file', async () => {
    const broken = join(root, 'broken-images');
    writePngFolder(broken);
    writeFileSync(join(broken, 'class-1', '5.png'), 'not a png');
    const first = await runBregman(['train', '--data', broken, ...TINY, ...FAST, '--out', join(root, 'broken-out')]);
    expect(first.status).toBe(3);
    expect(first.stderr).toMatch(/^bregman: .*class-1\/5\.png.*\n$/);
    const mixed = join(root, 'mixed-images');
    writePngFolder(mixed);
    writeFileSync(join(mixed, 'class-2', '0.png'), encodePng(new Array(100).fill(0.5), 10, 10));
    const second = await runBregman(['train', '--data', mixed, ...TINY, ...FAST, '--out', join(root, 'mixed-out')]);
    expect(second.status).toBe(3);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(/image-?[sS]ize/);
    const resized = await runBregman([
      'train',
      '--data',
      mixed,
      '--image-size',
      '8',
      ...TINY,
      ...FAST,
      '--batch-size',
      '12',
      '--out',
      join(root, 'mixed-ok'),
    ]);
    expect(resized.status, resized.stderr).toBe(0);
  });

  it('refuses a truncated gzip IDX file and a corrupt IDX header, naming the file (exit code 3)', async () => {
    const images = Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 2]), Buffer.alloc(16, 7)]);
    const labels = Buffer.from([0, 0, 8, 1, 0, 0, 0, 4, 0, 1, 0, 1]);
    const gz = gzipSync(images);
    writeFileSync(join(root, 'cut-images-idx3-ubyte.gz'), gz.subarray(0, gz.length - 6));
    writeFileSync(join(root, 'cut-labels-idx1-ubyte.gz'), gzipSync(labels));
    const cut = await runBregman([
      'train',
      '--data',
      join(root, 'cut-images-idx3-ubyte.gz'),
      ...FAST,
      '--out',
      join(root, 'cut'),
    ]);
    expect(cut.status).toBe(3);
    expect(cut.stderr).toMatch(
      /^bregman: parseIdx: .*cut-images-idx3-ubyte\.gz: expected a complete gzip stream, got a corrupt or truncated one/,
    );
    writeFileSync(join(root, 'odd-images-idx3-ubyte'), Buffer.from([0, 0, 8, 9, 0, 0, 0, 4]));
    writeFileSync(join(root, 'odd-labels-idx1-ubyte'), labels);
    const odd = await runBregman([
      'train',
      '--data',
      join(root, 'odd-images-idx3-ubyte'),
      ...FAST,
      '--out',
      join(root, 'odd'),
    ]);
    expect(odd.status).toBe(3);
    expect(odd.stderr).toMatch(/^bregman: .*odd-images-idx3-ubyte/);
    expect(existsSync(join(root, 'cut')) || existsSync(join(root, 'odd'))).toBe(false);
  });

  it('refuses an empty class folder, naming it', async () => {
    const folder = join(root, 'empty-class');
    writePngFolder(folder);
    mkdirSync(join(folder, 'class-9'));
    const done = await runBregman(['train', '--data', folder, ...FAST, '--out', join(root, 'empty-class-out')]);
    expect(done.status).toBe(3);
    expect(done.stderr).toMatch(
      /^bregman: loadDataFiles: .*class-9: expected images of class "class-9", got an empty folder\n$/,
    );
  });

  it('bench --data runs a grid on the same file (cells named after it), in-process', async () => {
    const csv = join(root, 'bench-flowers.csv');
    writeCsv(csv);
    const config = join(root, 'bench-tiny.json');
    writeFileSync(
      config,
      JSON.stringify({ hidden: [16], embeddingDim: 4, icnnHidden: [8], epochs: 1, stepsPerEpoch: 2, batchSize: 12 }),
    );
    const out = join(root, 'bench-out');
    const done = await runBregman([
      ...['bench', '--data', csv, '--config', config, '--divergences', 'euclidean,icnn', '--protocols', 'closed-set'],
      ...['--seeds', '1', '--workers', '1', '--quiet', '--json', '--out', out],
    ]);
    expect(done.status, done.stderr).toBe(0);
    const { report } = JSON.parse(done.stdout) as {
      report: { runs: { dataset: string; divergence: string; model: string }[] };
    };
    const trained = report.runs.filter((r) => r.model === 'trained');
    expect([...new Set(trained.map((r) => `${r.dataset}/${r.divergence}`))].sort()).toEqual([
      'bench-flowers/euclidean',
      'bench-flowers/icnn',
    ]);
    const refused = await runBregman(['bench', '--data', csv, '--datasets', 'iris', '--quiet', '--out', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/expected --datasets or --data \(your files\), got both/);
  });

  it('refuses classes too small for the sampler, naming the smallest and the flag', async () => {
    const csv = join(root, 'small-classes.csv');
    writeCsv(csv);
    const done = await runBregman([
      'train',
      '--data',
      csv,
      ...TINY,
      ...FAST,
      '--samples-per-class',
      '25',
      '--batch-size',
      '50',
      '--out',
      join(root, 'small-out'),
    ]);
    expect(done.status).toBe(2);
    expect(done.stderr).toMatch(
      /^bregman: config: --samples-per-class 25 needs at least 25 training samples in every class, but class 0 has \d+/,
    );
  });

  for (const [what, name, content, message, code] of bad) {
    it(`refuses ${what} in one line with exit code ${code}, writing nothing`, async () => {
      const path = join(root, name);
      if (content !== null) writeFileSync(path, content);
      const out = join(root, `bad-${name}`);
      const done = await runBregman(['train', '--data', path, ...TINY, ...FAST, '--out', out]);
      expect(done.status).toBe(code);
      expect(done.stderr.trim().split('\n')).toHaveLength(1);
      expect(done.stderr).toMatch(/^bregman: /);
      expect(done.stderr).toMatch(message);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    });
  }
});
