import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpointFile } from './checkpoint-file';
import { BREGMAN_BIN, runBregman } from '../testing/run-bregman';
import { waitFor } from '../testing/wait-for';

// The real thing: the built `bregman` binary, killed with SIGKILL mid-epoch, then `--resume`d.
const root = mkdtempSync(join(tmpdir(), 'eb-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function args(out: string): string[] {
  return [
    'train',
    '--dataset',
    'mnist-digits',
    '--protocol',
    'closed-set',
    '--divergence',
    'icnn',
    '--hidden',
    '64',
    '--embedding-dim',
    '16',
    '--icnn-hidden',
    '32',
    '--batch-size',
    '30',
    '--epochs',
    '3',
    '--steps-per-epoch',
    '150',
    '--patience',
    '0',
    '--max-train-samples',
    '1500',
    '--max-eval-samples',
    '300',
    '--seed',
    '3',
    '--out',
    out,
    '--quiet',
  ];
}

function onlyRun(out: string): string {
  const dirs = readdirSync(out);
  expect(dirs).toHaveLength(1);
  return join(out, dirs[0]!);
}

describe('bregman train: crash and resume', () => {
  it('a run killed with SIGKILL mid-epoch and resumed ends with the results of an uninterrupted run', async () => {
    if (!existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)))) {
      throw new Error('apps/cli/dist is missing: run `pnpm build` first (turbo does it before `pnpm test`)');
    }
    const whole = join(root, 'whole');
    const done = await runBregman(args(whole));
    expect(done.status, done.stderr).toBe(0);
    const expected = JSON.parse(readFileSync(join(onlyRun(whole), 'results.json'), 'utf8'));

    const killed = join(root, 'killed');
    const child: ChildProcess = spawn(process.execPath, [BREGMAN_BIN, ...args(killed)], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // metrics.jsonl gets a line per finished epoch (epoch 0 = before training): kill once epoch 1 is done,
    // some way into epoch 2.
    await waitFor(() => {
      const dirs = existsSync(killed) ? readdirSync(killed) : [];
      const metrics = dirs.length ? join(killed, dirs[0]!, 'metrics.jsonl') : '';
      return metrics !== '' && existsSync(metrics) && readFileSync(metrics, 'utf8').trim().split('\n').length >= 2;
    }, 120_000);
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const dir = onlyRun(killed);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    // The checkpoint on disk is complete (its SHA-256 matches) and is that of a finished epoch before the last.
    const { header } = readCheckpointFile<{ state: { epoch: number } }>(join(dir, 'checkpoint.bin'));
    expect([1, 2]).toContain(header.state.epoch);

    const resumed = await runBregman(['train', '--resume', dir, '--quiet']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const actual = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(actual.results).toEqual(expected.results);
    expect(actual.curves).toEqual(expected.curves);
  });
});
