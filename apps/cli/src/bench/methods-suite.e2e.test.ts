import { readFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from './write-bench-report';
import { runCli as cli } from '../testing/run-cli';
import { BENCH_METHODS } from './bench-methods';
import type { TuningFile } from './tuning-file';

// What CI runs of issue 21's suite: `bregman bench --suite methods --smoke` (every method, a few steps on a slice of
// UCI digits, 2 worker threads), then `--resume` on its folder. Measured here: 32 s on 2 shared cores; the limit is
// the 2 minutes.
const root = mkdtempSync(join(tmpdir(), 'eb-methods-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bregman bench --suite methods --smoke', () => {
  it('trains every method within 2 minutes, one labelled row each, and resumes without training again', async () => {
    const out = join(root, 'smoke');
    const started = Date.now();
    const { code, stdout, stderr } = await cli(
      'bench',
      '--suite',
      'methods',
      '--smoke',
      '--workers',
      '2',
      '--quiet',
      '--out',
      out,
    );
    expect(code, stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(120_000);
    const [dir] = readdirSync(out);
    const results = JSON.parse(readFileSync(join(out, dir!, 'results.json'), 'utf8')) as BenchResults;
    const trained = results.runs.filter((r) => r.model === 'trained' && r.querySlot !== 'right');
    expect(trained.map((r) => r.method)).toEqual(BENCH_METHODS.map((m) => m.name));
    expect(trained.every((r) => Number.isFinite(r.metrics.mapAtR) && (r.seconds ?? 0) > 0)).toBe(true);
    for (const m of BENCH_METHODS) expect(stdout).toContain(`| ${m.name} | trained |`);
    // One seed: nothing can win, so the learned divergence ties (the verdict row and the target line are there).
    expect(stdout).toMatch(/\| uci-digits · class-disjoint \| [a-z-]+ \| .* \| no \| icnn-[a-z-]+ \| .* \| ties \|/);
    expect(stdout).toContain('Target (learned divergence best or tied-best on ≥ 3 datasets): not met (1 of 1).');
    const resumed = await cli('bench', '--resume', join(out, dir!), '--quiet');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('| icnn-bregman-softmax | trained | icnn | left |');
  }, 180_000);

  it('--tune runs the trials and writes tuning.json; --tuning applies its choice to the suite', async () => {
    const out = join(root, 'tune');
    const flags = ['--suite', 'methods', '--smoke', '--methods', 'supcon,circle'];
    const tuned = await cli('bench', ...flags, '--tune', '--workers', '2', '--quiet', '--out', out);
    expect(tuned.code, tuned.stderr).toBe(0);
    const dir = join(out, readdirSync(out)[0]!);
    const tuning = JSON.parse(readFileSync(join(dir, 'tuning.json'), 'utf8')) as TuningFile;
    expect(tuning.trials.map((t) => [t.method, t.trial])).toEqual([
      ['supcon', 0],
      ['supcon', 1],
      ['supcon', 2],
      ['supcon', 3],
      ['circle', 0],
    ]);
    // The chosen supcon trial is the one with the best validation score (uci-digits is the smoke's only dataset).
    const supcon = tuning.trials.filter((t) => t.method === 'supcon');
    const best = Math.max(...supcon.map((t) => t.scores['uci-digits'] ?? Number.NEGATIVE_INFINITY));
    expect(tuning.chosen.supcon).toEqual(supcon.find((t) => t.scores['uci-digits'] === best)!.settings);
    expect(tuning.chosen.circle).toEqual({});
    expect(readFileSync(join(dir, 'tuning.md'), 'utf8')).toContain('| circle | 1 | (defaults) |');
    const applied = await cli(
      'bench',
      ...flags,
      '--tuning',
      dir,
      '--seeds',
      '1',
      '--quiet',
      '--out',
      join(root, 'applied'),
    );
    expect(applied.code, applied.stderr).toBe(0);
    const appliedDir = join(root, 'applied', readdirSync(join(root, 'applied'))[0]!);
    const plan = JSON.parse(readFileSync(join(appliedDir, 'plan.json'), 'utf8'));
    const supconConfig = plan.items.find((c: { loss: string }) => c.loss === 'supcon');
    expect(supconConfig.temperature).toBe(tuning.chosen.supcon?.temperature);
  }, 180_000);
});
