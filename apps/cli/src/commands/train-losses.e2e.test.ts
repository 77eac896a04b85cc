import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpointFile } from '../run/checkpoint-file';
import { SimulatedCrash } from '../run/run-epochs';
import { LOSS_NAMES, MINER_NAMES, REDUCER_NAMES, REGULARIZER_NAMES } from '../tasks/retrieval/loss-registry';
import { runCli as cli } from '../testing/run-cli';
import { TINY_TRAIN_FLAGS } from '../testing/tiny-cli-runs';
import { tinyRunConfig, trainQuietly } from '../testing/tiny-run';

// The losses package's losses, miners, reducers and regularizers from the command line: `bregman train` (the CLI's
// own `main`, in this process) trains an ArcFace run with a regularizer, saves its class weights in the checkpoint,
// refuses impossible combinations before any work, and lists every name in --help.
const root = mkdtempSync(join(tmpdir(), 'eb-losses-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const onlyRun = (out: string) => {
  const dirs = readdirSync(out);
  expect(dirs).toHaveLength(1);
  return join(out, dirs[0]!);
};

describe('bregman train --loss / --miner / --reducer / --regularizer', () => {
  it('trains --loss arc-face --divergence cosine --regularizer lp; the class weights are in the checkpoint', async () => {
    const out = join(root, 'arc-face');
    const started = Date.now();
    const flags = ['--loss', 'arc-face', '--divergence', 'cosine', '--regularizer', 'lp'];
    const { code, stderr } = await cli('train', ...TINY_TRAIN_FLAGS, ...flags, '--quiet', '--out', out);
    expect(code, stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    const dir = onlyRun(out);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ loss: 'arc-face', divergence: 'cosine', regularizer: 'lp' });
    // Only the keys that were set: no regularizerWeight, reducer or memorySize.
    expect(Object.keys(config)).not.toContain('regularizerWeight');
    expect(Object.keys(config)).not.toContain('memorySize');
    // MNIST digits: 10 classes × embedding width 4 class weights, and the head optimizer's Adam moments of them.
    const { arrays } = readCheckpointFile(join(dir, 'checkpoint.bin'));
    expect(arrays.get('loss/0')?.shape).toEqual([10, 4]);
    expect([...arrays.keys()].filter((k) => k.startsWith('headOptimizer/')).length).toBeGreaterThan(0);
  }, 60_000);

  it('resumes an ArcFace run after a crash with exactly the results of an uninterrupted one (weights restored)', async () => {
    const tiny = tinyRunConfig({ loss: 'arc-face', divergence: 'cosine', regularizer: 'regular-face' });
    const reference = await trainQuietly(tiny, join(root, 'reference'));
    const dir = join(root, 'crashed');
    // Crash in the middle of epoch 2 (6 steps per epoch): the checkpoint after epoch 1 survives.
    await expect(trainQuietly(tiny, dir, { stopAfterSteps: 9 })).rejects.toBeInstanceOf(SimulatedCrash);
    const resumed = await trainQuietly(tiny, dir, { resume: true });
    expect(resumed.report.results).toEqual(reference.report.results);
    expect(resumed.report.curves).toEqual(reference.report.curves);
  }, 120_000);

  it('resumes a cross-batch memory run after a crash exactly: the memory is in the checkpoint', async () => {
    const tiny = tinyRunConfig({ loss: 'contrastive', miner: 'none', memorySize: 120 });
    const reference = await trainQuietly(tiny, join(root, 'memory-reference'));
    const dir = join(root, 'memory-crashed');
    await expect(trainQuietly(tiny, dir, { stopAfterSteps: 9 })).rejects.toBeInstanceOf(SimulatedCrash);
    const { arrays } = readCheckpointFile(join(dir, 'checkpoint.bin'));
    // After epoch 1 (6 batches of 30): the memory is full, 120 rows of width 16, newest first.
    expect(arrays.get('memory/embeddings')?.shape).toEqual([120, 16]);
    expect(arrays.get('memory/labels')?.shape).toEqual([120]);
    const resumed = await trainQuietly(tiny, dir, { resume: true });
    expect(resumed.report.results).toEqual(reference.report.results);
    expect(resumed.report.curves).toEqual(reference.report.curves);
  }, 120_000);

  it('refuses an angular loss on another head before any work: one line, exit code 2, nothing written', async () => {
    const out = join(root, 'refused');
    const { code, stdout, stderr } = await cli('train', ...TINY_TRAIN_FLAGS, '--loss', 'arc-face', '--out', out);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      'bregman: config: expected "divergence" cosine for "loss" arc-face (its margin is an angle), got euclidean',
    );
    expect(() => readdirSync(out)).toThrow();
  });

  it('lists every registered name in bregman train --help', async () => {
    const { stdout } = await cli('train', '--help');
    const choices = (flag: string) =>
      new RegExp(`${flag} <value>[\\s\\S]*?choices:\\s+([^)]*)\\)`)
        .exec(stdout)?.[1]
        ?.replace(/\s+/g, ' ')
        .split(', ')
        .map((c) => c.replace(/"/g, ''));
    expect(choices('--loss')).toEqual(LOSS_NAMES);
    expect(choices('--miner')).toEqual(MINER_NAMES);
    expect(choices('--reducer')).toEqual(REDUCER_NAMES);
    expect(choices('--regularizer')).toEqual(REGULARIZER_NAMES);
    expect(stdout).toMatch(/--memory-size <value>/);
    expect(stdout).toMatch(/--regularizer-weight <value>/);
  });
});
