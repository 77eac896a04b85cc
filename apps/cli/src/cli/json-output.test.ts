import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listDatasets, loadMnistDigits } from '@empirical-bregman/datasets/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBregman } from '../testing/run-bregman';
import { TINY_BENCH_SETTINGS, TINY_TRAIN_FLAGS } from '../testing/tiny-cli-runs';

// The built binary, as a script runs it: stdout must be exactly one JSON document, whatever the libraries log.
const root = mkdtempSync(join(tmpdir(), 'eb-json-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))))
    throw new Error('apps/cli/dist is missing: run `pnpm build` first (turbo does it before `pnpm test`)');
});

/** Runs `bregman …` and parses its stdout as one JSON document (JSON.parse refuses anything before or after it). */
async function bregmanJson<T>(...args: string[]): Promise<{ json: T; stderr: string }> {
  const result = await runBregman(args);
  expect(result.status, result.stderr).toBe(0);
  return { json: JSON.parse(result.stdout) as T, stderr: result.stderr };
}

interface RunJson {
  runDir: string;
  report: { results: { model: string; metrics: Record<string, number> }[]; config: Record<string, unknown> };
}

describe('--json: exactly one JSON document on stdout, progress on stderr', () => {
  let runDir = '';

  it('train --json: { runDir, report } with the report of results.json', async () => {
    const { json, stderr } = await bregmanJson<RunJson>(
      'train',
      ...TINY_TRAIN_FLAGS,
      '--out',
      join(root, 'runs'),
      '--json',
    );
    runDir = json.runDir;
    expect(json.report).toEqual(JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')));
    expect(json.report.results.some((r) => r.model === 'trained')).toBe(true);
    expect(stderr).toMatch(/tfjs backend/);
  }, 120_000);

  it('eval --json: { runDir, report } with the report of eval.json', async () => {
    const { json } = await bregmanJson<RunJson>('eval', runDir, '--json');
    expect(json.runDir).toBe(runDir);
    expect(json.report).toEqual(JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8')));
  }, 120_000);

  it('query --json: { references, querySlot, results: [{ query, neighbours: [{ index, label, divergence }] }] }', async () => {
    const input = join(root, 'q.json');
    writeFileSync(input, JSON.stringify([Array.from(loadMnistDigits().features.subarray(0, 784))]));
    const { json } = await bregmanJson<{ querySlot: string; results: { neighbours: { divergence: number }[] }[] }>(
      'query',
      runDir,
      '--input',
      input,
      '--k',
      '3',
      '--json',
    );
    expect(json.querySlot).toBe('left');
    expect(json.results[0]!.neighbours).toHaveLength(3);
  }, 120_000);

  it('data list --json: { datasets: [catalogue entry + available] }', async () => {
    const { json } = await bregmanJson<{ datasets: { name: string; available: boolean }[] }>('data', 'list', '--json');
    expect(json.datasets.map((d) => d.name)).toEqual(listDatasets().map((d) => d.name));
    expect(json.datasets[0]).toMatchObject({ name: 'mnist-digits', available: true, source: 'embedded' });
  });

  it('bench --json: { benchDir, report } with the report of results.json', async () => {
    const config = join(root, 'tiny.json');
    writeFileSync(config, JSON.stringify(TINY_BENCH_SETTINGS));
    const { json } = await bregmanJson<{ benchDir: string; report: { runs: unknown[] } }>(
      ...['bench', '--suite', 'standard', '--datasets', 'wine', '--divergences', 'euclidean', '--seeds', '1'],
      ...['--config', config, '--workers', '1', '--out', join(root, 'bench'), '--json'],
    );
    expect(json.report).toEqual(JSON.parse(readFileSync(join(json.benchDir, 'results.json'), 'utf8')));
    expect(json.report.runs.length).toBeGreaterThan(0);
  }, 120_000);
});
