import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TINY_BENCH_SETTINGS } from '../testing/tiny-cli-runs';
import type { BenchResults } from './write-bench-report';
import { runCli as cli } from '../testing/run-cli';

const root = mkdtempSync(join(tmpdir(), 'eb-bench-fail-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.BREGMAN_FAULT;
});

beforeAll(() => {
  // The grid runs in worker threads, which load the built task.
  if (!existsSync(fileURLToPath(new URL('../../dist/bench-task.js', import.meta.url))))
    throw new Error('apps/cli/dist is missing: run `pnpm build` first (turbo does it before `pnpm test`)');
  writeFileSync(join(root, 'tiny.json'), JSON.stringify(TINY_BENCH_SETTINGS));
});

/** A 3-cell grid of tiny Wine runs; the cosine cell is made to fail with BREGMAN_FAULT. */
const GRID = ['bench', '--suite', 'standard', '--datasets', 'wine', '--divergences', 'euclidean,cosine,mahalanobis'];
const FAILING = 'wine-closed-set-cosine-s1';

function results(benchDir: string): BenchResults {
  return JSON.parse(readFileSync(join(benchDir, 'results.json'), 'utf8')) as BenchResults;
}

describe.sequential('bregman bench survives a failing cell, and --resume reruns only it', () => {
  let benchDir = '';

  it('a failing cell: the others finish, the report marks it, exit code 6', async () => {
    process.env.BREGMAN_FAULT = `cell/${FAILING}`;
    const out = join(root, 'runs');
    const { code, stdout, stderr } = await cli(
      ...[...GRID, '--seeds', '1', '--config', join(root, 'tiny.json'), '--workers', '2', '--out', out, '--quiet'],
    );
    expect(code, stderr).toBe(6);
    [benchDir] = readdirSync(out).map((d) => join(out, d));
    expect(stderr).toBe(
      `bregman: bench: 1 of 3 runs failed (${FAILING}); the others' results and the report are in ${benchDir}; rerun them with \`bregman bench --resume ${benchDir}\`\n`,
    );
    const data = results(benchDir!);
    expect(data.failed).toEqual([
      expect.objectContaining({
        name: FAILING,
        divergence: 'cosine',
        runDir: FAILING,
        error: {
          code: expect.any(String),
          message: expect.stringMatching(/fault injected at cell\/wine-closed-set-cosine-s1/),
        },
      }),
    ]);
    const trained = new Set(data.runs.filter((r) => r.model === 'trained').map((r) => r.divergence));
    expect([...trained].sort()).toEqual(['euclidean', 'mahalanobis']);
    // The table is written, the failed cell marked in it.
    expect(stdout).toBe(
      `${readFileSync(join(benchDir!, 'results.md'), 'utf8')}\nbench folder: ${benchDir} (open report.html)\n`,
    );
    expect(stdout).toMatch(new RegExp(`### Skipped\\n\\n- ${FAILING}: FAILED: .*fault injected`));
    expect(readFileSync(join(benchDir!, 'report.html'), 'utf8')).toContain(`<strong>${FAILING}</strong>: FAILED:`);
  }, 180_000);

  it('--resume reruns only the failed cell, reuses the finished ones and rewrites the report; exit code 0', async () => {
    const finished = ['wine-closed-set-euclidean-s1', 'wine-closed-set-mahalanobis-s1'];
    const stamps = () => finished.map((name) => statSync(join(benchDir, name, 'results.json')).mtimeMs);
    const before = stamps();
    // Progress lines go to the process's stderr (like the training progress bar), not through the CLI's output.
    let progress = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      progress += String(chunk);
      return true;
    });
    const { code, stderr } = await cli('bench', '--resume', benchDir, '--workers', '1').finally(() =>
      spy.mockRestore(),
    );
    expect(code, stderr).toBe(0);
    expect(stamps()).toEqual(before);
    for (const name of finished) expect(progress).toContain(`${name}: finished before, reused`);
    expect(progress).toMatch(new RegExp(`\\[3/3\\] ${FAILING}: MAP@R`));
    const data = results(benchDir);
    expect(data.failed).toEqual([]);
    expect(data.skipped).toEqual([]);
    const trained = new Set(data.runs.filter((r) => r.model === 'trained').map((r) => r.divergence));
    expect([...trained].sort()).toEqual(['cosine', 'euclidean', 'mahalanobis']);
    expect(existsSync(join(benchDir, FAILING, 'results.json'))).toBe(true);
  }, 180_000);

  it('--resume takes its grid from the folder: grid options are refused; a missing folder is exit code 3', async () => {
    const grid = await cli('bench', '--resume', benchDir, '--seeds', '2');
    expect(grid.code).toBe(2);
    expect(grid.stderr).toMatch(/expected no grid options with --resume .*got --seeds/);
    const missing = await cli('bench', '--resume', join(root, 'nope'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(
      /bench --resume: expected a bench folder with plan.json at .*nope, got no such folder/,
    );
  });
});
