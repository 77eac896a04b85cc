import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listDatasets } from '@empirical-bregman/datasets/node';
import { afterAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from './cli/environment';
import { TINY_TRAIN_FLAGS } from './testing/tiny-cli-runs';
import { runCli as cli } from './testing/run-cli';

const root = mkdtempSync(join(tmpdir(), 'eb-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bregman CLI: bad input is one clear line, exit code 2 (usage) or 3 (a missing file), nothing written', () => {
  const out = join(root, 'runs');
  const cases: [string, string[], RegExp][] = [
    ['an unknown option', ['train', '--epoch', '3'], /unknown option '--epoch'.*Did you mean --epochs\?/],
    [
      'an unknown divergence',
      ['train', '--divergence', 'icn', '--out', out],
      /argument 'icn' is invalid|"divergence" must be one of/,
    ],
    ['a query without input', ['query', join(root, 'nope')], /required option '--input <file>' not specified/],
    [
      'an unknown dataset',
      ['train', '--dataset', 'mnsit', '--out', out],
      /argument 'mnsit' is invalid|"dataset" must be one of/,
    ],
    [
      'an unknown loss',
      ['train', '--loss', 'tripplet', '--out', out],
      /argument 'tripplet' is invalid|"loss" must be one of .*did you mean "triplet"\?/,
    ],
    ['a non-number', ['train', '--epochs', 'many', '--out', out], /--epochs: expected a number, got "many"/],
    ['an out-of-range value', ['train', '--embedding-dim', '1', '--out', out], /"embeddingDim" must be ≥ 2; got 1/],
    [
      'an unknown suite',
      ['bench', '--suite', 'fast', '--out', out],
      /argument 'fast' is invalid\. Allowed choices are quick, standard/,
    ],
    [
      'an unknown bench divergence',
      ['bench', '--divergences', 'icnn,foo', '--out', out],
      /--divergences must name values among .*got "foo"/,
    ],
    [
      'an unknown dataset to fetch',
      ['data', 'fetch', 'mnsit'],
      /expected a downloadable dataset among .*got "mnsit"; did you mean "mnist"\?/,
    ],
    [
      'a class-disjoint split of a 3-class set',
      ['train', '--dataset', 'iris', '--protocol', 'class-disjoint', '--out', out],
      /closed-set only/i,
    ],
    [
      'a CNN trunk on tabular data',
      ['train', '--dataset', 'iris', '--protocol', 'closed-set', '--trunk', 'cnn', '--out', out],
      /^bregman: config: "trunk" cnn needs image data \(samples of shape \[h, w, c\]\), got samples of shape \[4\]/,
    ],
    [
      'impossible sampler settings',
      ['train', '--dataset', 'iris', '--protocol', 'closed-set', '--samples-per-class', '60', '--out', out],
      /--samples-per-class 60 needs at least 60 training samples in every class, but class 0 has/,
    ],
  ];
  // A file or folder the user named that does not exist: a data/IO error (exit code 3).
  const missing: [string, string[], RegExp][] = [
    [
      'a missing run folder to evaluate',
      ['eval', join(root, 'nope')],
      /eval: expected a run folder with config.json at .*nope, got no such folder/,
    ],
    [
      'a missing run folder',
      ['report', join(root, 'nope')],
      /report: expected a finished run or bench folder with results.json at .*nope, got no such folder/,
    ],
    [
      'a missing run folder to resume',
      ['train', '--resume', join(root, 'nope')],
      /train --resume: expected a run folder with config.json at .*nope, got no such folder/,
    ],
    [
      'a missing config file',
      ['train', '--config', join(root, 'nope.yaml')],
      /config file: expected a readable file at .*nope.yaml, got ENOENT/,
    ],
  ];
  for (const [what, argv, message, exitCode] of [
    ...cases.map((c) => [...c, 2] as const),
    ...missing.map((c) => [...c, 3] as const),
  ]) {
    it(`rejects ${what} (exit code ${exitCode})`, async () => {
      const { code, stderr } = await cli(...argv);
      expect(code).toBe(exitCode);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^bregman: /);
      expect(stderr).toMatch(message);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    });
  }

  it('rejects a config file with a typo, naming the key and suggesting the right one', async () => {
    const file = join(root, 'run.yaml');
    writeFileSync(file, 'divergence: icnn\nembedingDim: 32\n');
    const { code, stderr } = await cli('train', '--config', file, '--out', out);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown key "embedingDim"; did you mean "embeddingDim"\?/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('names the output folder --out on train too; --out-dir still works, with a one-line deprecation warning', async () => {
    const help = await cli('train', '--help');
    expect(help.stdout).toMatch(/--out <dir>\s+folder that receives/);
    expect(help.stdout).not.toContain('--out-dir');
    const both = await cli('train', '--out', out, '--out-dir', out);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/option '--out-dir <dir>' cannot be used with option '--out <dir>'/);
    const old = join(root, 'old-flag');
    const { code, stdout, stderr } = await cli('train', ...TINY_TRAIN_FLAGS, '--quiet', '--out-dir', old);
    expect(code).toBe(0);
    expect(stderr).toBe('bregman: warning: --out-dir is deprecated; use --out (same meaning)\n');
    expect(stdout).toContain(`run folder: ${old}/`);
    expect(readdirSync(old)).toHaveLength(1);
  }, 60_000);

  it('prints help and version with exit code 0', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Commands:[\s\S]*train[\s\S]*bench[\s\S]*report[\s\S]*eval[\s\S]*embed[\s\S]*query[\s\S]*data/,
    );
    const trainHelp = await cli('train', '--help');
    expect(trainHelp.stdout).toMatch(/--embedding-dim <value>\s+embedding dimension[\s\S]*?\(default: 64\)/);
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("offers the datasets package's whole catalogue as --dataset choices, and the data the tasks make", async () => {
    const { stdout } = await cli('train', '--help');
    const choices = /--dataset <value>[\s\S]*?choices:\s+([^)]*)\)/.exec(stdout)?.[1]?.replace(/\s+/g, ' ');
    expect(choices?.split(', ').map((c) => c.replace(/"/g, ''))).toEqual([
      ...listDatasets().map((d) => d.name),
      'divergence-regression',
      'gaussian-sets',
    ]);
    expect(choices).toContain('cifar100');
  });

  it('lists every environment variable it reads in --help, one line each', async () => {
    const { stdout } = await cli('--help');
    const section = stdout.slice(stdout.indexOf('Environment:'), stdout.indexOf('Exit codes:'));
    const names = [...section.matchAll(/^ {2}(BREGMAN_[A-Z_]+) {2,}\S/gm)].map((m) => m[1]);
    expect(names).toEqual(ENVIRONMENT_VARIABLES.map((v) => v.name));
    // Every variable the app's own code reads (by name or through a constant) is in the list.
    expect(names).toEqual(
      expect.arrayContaining([
        'BREGMAN_DATA_DIR',
        'BREGMAN_BACKEND',
        'BREGMAN_REDIS_URL',
        'BREGMAN_QUEUE_OUT',
        'BREGMAN_FAULT',
      ]),
    );
  });

  it('takes the queue URL, password included, from BREGMAN_REDIS_URL for a bare --queue (bench) or no --queue (worker)', async () => {
    const saved = process.env.BREGMAN_REDIS_URL;
    try {
      delete process.env.BREGMAN_REDIS_URL;
      const none = await cli('worker');
      expect(none.code).toBe(2);
      expect(none.stderr).toBe(
        'bregman: worker: expected a queue URL in --queue URL or in $BREGMAN_REDIS_URL, got neither\n',
      );
      expect((await cli('bench', '--queue', '--out', out)).stderr).toMatch(/got a bare --queue and no variable/);
      process.env.BREGMAN_REDIS_URL = 'redis://:s3cret@127.0.0.1:1';
      for (const argv of [
        ['worker'],
        ['worker', '--queue'],
        ['bench', '--queue', '--divergences', 'euclidean', '--out', out],
      ]) {
        const { code, stderr } = await cli(...argv, '--quiet');
        expect(code).toBe(5);
        expect(stderr).toMatch(/expected a reachable Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0/);
        expect(stderr).not.toContain('s3cret');
      }
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.BREGMAN_REDIS_URL;
      else process.env.BREGMAN_REDIS_URL = saved;
    }
  }, 30_000);

  it('lists the datasets with their availability', async () => {
    const { code, stdout } = await cli('data', 'list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\| mnist-digits \| yes \| embedded \|/);
  });
});
