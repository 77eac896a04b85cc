import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBregman } from '../testing/run-bregman';

// The fault-injection suite of the run loop: the built `bregman` binary killed at named points (BREGMAN_FAULT, see
// src/fault-injection.ts) and fed damaged files, each case asserting what the user sees (message, exit code) and that
// nothing is lost: a resumed run ends with exactly the results of an uninterrupted one.
const root = mkdtempSync(join(tmpdir(), 'eb-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TINY = [
  ...['--dataset', 'mnist-digits', '--protocol', 'closed-set', '--divergence', 'icnn', '--hidden', '32'],
  ...['--embedding-dim', '8', '--icnn-hidden', '16', '--batch-size', '30', '--epochs', '3', '--steps-per-epoch', '4'],
  ...['--patience', '0', '--max-train-samples', '400', '--max-eval-samples', '120', '--seed', '7', '--quiet'],
];

function onlyRun(out: string): string {
  const dirs = readdirSync(out);
  expect(dirs).toHaveLength(1);
  return join(out, dirs[0]!);
}

const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
const tempFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

let expected: { results: unknown; curves: unknown };
let wholeRun = '';
beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))))
    throw new Error('apps/cli/dist is missing: run `pnpm build` first (turbo does it before `pnpm test`)');
  const whole = join(root, 'whole');
  const done = await runBregman(['train', ...TINY, '--out', whole]);
  expect(done.status, done.stderr).toBe(0);
  wholeRun = onlyRun(whole);
  expected = results(wholeRun);
});

describe('bregman train under faults', () => {
  // n-th time the point is reached: 1 = before the first epoch (the untrained weights), 2 = after epoch 1, …
  for (const fault of ['after-best-weights:1', 'after-best-weights:2', 'after-checkpoint:1', 'after-checkpoint:3']) {
    it(`killed at ${fault}, then resumed, ends with the results of an uninterrupted run`, async () => {
      const out = join(root, fault.replace(':', '-'));
      const killed = await runBregman(['train', ...TINY, '--out', out], { env: { BREGMAN_FAULT: fault } });
      expect(killed.signal).toBe('SIGKILL');
      const dir = onlyRun(out);
      expect(existsSync(join(dir, 'results.json'))).toBe(false);
      const resumed = await runBregman(['train', '--resume', dir, '--quiet']);
      expect(resumed.status, resumed.stderr).toBe(0);
      const actual = results(dir);
      expect(actual.results).toEqual(expected.results);
      expect(actual.curves).toEqual(expected.curves);
      expect(tempFiles(dir)).toEqual([]);
    });
  }

  it('refuses a checkpoint whose header was edited (epoch 1 → 3), in one line, and changes nothing', async () => {
    const out = join(root, 'edited');
    expect(
      (await runBregman(['train', ...TINY, '--out', out], { env: { BREGMAN_FAULT: 'after-checkpoint:2' } })).signal,
    ).toBe('SIGKILL');
    const dir = onlyRun(out);
    const path = join(dir, 'checkpoint.bin');
    const bytes = readFileSync(path);
    const text = bytes.toString('latin1');
    const at = text.indexOf('"epoch":1');
    expect(at).toBeGreaterThan(0);
    bytes.write('"epoch":3', at, 'latin1');
    writeFileSync(path, bytes);
    const resumed = await runBregman(['train', '--resume', dir, '--quiet']);
    expect(resumed.stderr).toMatch(
      /^bregman: checkpoint: expected the checkpoint at .*checkpoint\.bin to match its SHA-256, got a different one \(truncated, corrupted or edited file\)\n$/,
    );
    expect(resumed.status).toBe(3);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    expect(readFileSync(path)).toEqual(bytes);
  });

  it('trains closed-set iris (6 validation items per class) and marks the Recall@K a 5-per-class test part cannot have', async () => {
    const out = join(root, 'iris');
    const done = await runBregman([
      'train',
      '--dataset',
      'iris',
      '--protocol',
      'closed-set',
      '--epochs',
      '2',
      '--max-eval-samples',
      '15',
      '--quiet',
      '--out',
      out,
    ]);
    expect(done.status, done.stderr).toBe(0);
    const report = results(onlyRun(out));
    const trained = report.results.find((r: { model: string }) => r.model === 'trained').metrics;
    expect(Object.keys(trained)).toEqual(expect.arrayContaining(['recallAt1', 'recallAt2', 'recallAt4']));
    expect(trained.recallAt8).toBeUndefined();
    expect(report.notes.join('\n')).toMatch(/Recall@8 not applicable: the largest test class has 5 items/);
  });

  it('trains a closed-set wine run with default flags, lowering m to the smallest class and saying so', async () => {
    const out = join(root, 'wine');
    const done = await runBregman([
      'train',
      '--dataset',
      'wine',
      '--protocol',
      'closed-set',
      '--epochs',
      '2',
      '--out',
      out,
    ]);
    expect(done.status, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/samples per class lowered from 40 \(batch size 120 \/ 3 classes\) to \d+/);
    expect(results(onlyRun(out)).notes.join('\n')).toMatch(/samples per class lowered from 40/);
  });

  it('embed --output into a missing folder: one line naming the path, exit code 3, nothing written', async () => {
    const input = join(root, 'one-sample.json');
    writeFileSync(input, JSON.stringify([new Array(784).fill(0)]));
    const target = join(root, 'no', 'such', 'folder', 'e.json');
    const done = await runBregman(['embed', wholeRun, '--input', input, '--output', target, '--quiet']);
    expect(done.status).toBe(3);
    expect(done.stderr.trim().split('\n')).toHaveLength(1);
    expect(done.stderr).toContain(join(root, 'no', 'such', 'folder'));
    expect(existsSync(join(root, 'no'))).toBe(false);
  });

  it('report on a malformed results.json: one line, exit code 3', async () => {
    const dir = join(root, 'malformed-report');
    mkdirSync(dir);
    writeFileSync(join(dir, 'results.json'), '{"title": ');
    const done = await runBregman(['report', dir]);
    expect(done.status).toBe(3);
    expect(done.stderr).toMatch(/^bregman: report: expected JSON at .*results\.json, got: .*\n$/);
    // Valid JSON, but not a results.json: still one line and exit code 3, never a TypeError (it was exit 1).
    writeFileSync(join(dir, 'results.json'), '{}');
    const empty = await runBregman(['report', dir]);
    expect(empty.status).toBe(3);
    expect(empty.stderr).toMatch(
      /^bregman: report: expected the results\.json of a run at .*, got one without "title" \(text\)\n$/,
    );
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('a model whose weights.bin has junk appended: embed refuses it in one line, exit code 3, writes nothing', async () => {
    const broken = join(root, 'junk-run');
    cpSync(wholeRun, broken, { recursive: true });
    const weights = join(broken, 'model', 'weights.bin');
    writeFileSync(weights, Buffer.concat([readFileSync(weights), Buffer.from('junk')]));
    const input = join(root, 'one-sample-junk.json');
    writeFileSync(input, JSON.stringify([new Array(784).fill(0)]));
    const output = join(root, 'junk-embeddings.json');
    const done = await runBregman(['embed', broken, '--input', input, '--output', output, '--quiet']);
    expect(done.status).toBe(3);
    expect(done.stderr.trim().split('\n')).toHaveLength(1);
    expect(done.stderr).toMatch(/expected \d+ bytes of weights .*got \d+/);
    expect(existsSync(output)).toBe(false);
  });

  it('embed input with ragged rows, 1e39 or 0x1F: one line naming row and column, exit code 3, writes nothing', async () => {
    const output = join(root, 'bad-input-embeddings.json');
    for (const [name, text, message] of [
      [
        'ragged.csv',
        `${new Array(784).fill(0).join(',')}\n${new Array(783).fill(0).join(',')}\n`,
        /expected 784 values in every row, got 783 at row 2/,
      ],
      ['big.csv', `${new Array(783).fill(0).join(',')},1e39\n`, /float32's range.*row 1, column 784/],
      [
        'hex.csv',
        `0x1F,${new Array(783).fill(0).join(',')}\n`,
        /expected a decimal number, got "0x1F" at row 1, column 1/,
      ],
    ] as const) {
      const input = join(root, name);
      writeFileSync(input, text);
      const done = await runBregman(['embed', wholeRun, '--input', input, '--output', output, '--quiet']);
      expect(done.status).toBe(3);
      expect(done.stderr.trim().split('\n')).toHaveLength(1);
      expect(done.stderr).toMatch(message);
      expect(existsSync(output)).toBe(false);
    }
  });
});
