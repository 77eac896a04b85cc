import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREGMAN_BIN, runBregman } from './run-bregman';
import { TINY_TRAIN_FLAGS } from './tiny-cli-runs';

const root = mkdtempSync(join(tmpdir(), 'eb-run-bregman-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))))
    throw new Error('apps/cli/dist is missing: run `pnpm build` first (turbo does it before `pnpm test`)');
});

describe('runBregman: the built binary in a child process, without blocking the test thread', () => {
  it('resolves with the exit code and stdout of the binary this package ships', async () => {
    expect(BREGMAN_BIN).toBe(join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'bregman.js'));
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    // Input nobody reads is written and closed without an error, as spawnSync does.
    const done = await runBregman(['--version'], { input: 'ignored\n' });
    expect(done).toEqual({ status: 0, signal: null, stdout: `${version}\n`, stderr: '' });
  });

  it('resolves with a failing exit code and its one-line stderr (a failure is a result, not a rejection)', async () => {
    const done = await runBregman(['train', '--epochs', 'x']);
    expect(done.status).toBe(2);
    expect(done.stdout).toBe('');
    expect(done.stderr).toBe('bregman: --epochs: expected a number, got "x"\n');
  });

  it('adds env to the environment of this process (the child sees both)', async () => {
    const cache = join(root, 'empty-cache');
    const done = await runBregman(['train', '--dataset', 'kmnist', '--out', join(root, 'no-run')], {
      env: { BREGMAN_DATA_DIR: cache },
    });
    // The cache named is the one given; PATH and the rest still reached the child (node started, tfjs loaded).
    expect(done.status).toBe(5);
    expect(done.stderr).toContain(`expected the kmnist data on this machine (in ${cache}, or BREGMAN_DATA_DIR)`);
  });

  it('kills a child that outlives timeoutMs and rejects, naming the command', async () => {
    const out = join(root, 'slow');
    const started = Date.now();
    await expect(runBregman(['train', ...TINY_TRAIN_FLAGS, '--out', out], { timeoutMs: 300 })).rejects.toThrow(
      /^runBregman: expected bregman train --dataset mnist-digits .* to end within 300 ms, got it still running \(killed it; /,
    );
    // Rejected once the child was gone, long before a run could have finished: no results were written.
    expect(Date.now() - started).toBeLessThan(30_000);
    const runs = existsSync(out) ? readdirSync(out) : [];
    for (const run of runs) expect(existsSync(join(out, run, 'results.json'))).toBe(false);
  });
});
