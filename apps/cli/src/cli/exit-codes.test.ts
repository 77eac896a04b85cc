import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmpiricalBregmanError, type ErrorCode } from '@empirical-bregman/common';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runBregman } from '../testing/run-bregman';
import { TINY_TRAIN_FLAGS } from '../testing/tiny-cli-runs';
import { EXIT_CODES, EXIT_CODES_HELP, exitStatusOf } from './exit-codes';
import { runCli as cli } from '../testing/run-cli';

const root = mkdtempSync(join(tmpdir(), 'eb-exit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const savedEnv = { ...process.env };
afterEach(() => {
  for (const key of ['BREGMAN_DATA_DIR', 'BREGMAN_FAULT', 'BREGMAN_REDIS_URL']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

const TINY = [...TINY_TRAIN_FLAGS, '--quiet'];

describe('exitStatusOf: one exit class per error code', () => {
  it('maps every stable error code of the project', () => {
    const expected: Record<ErrorCode, number> = {
      INVALID_ARGUMENT: 2,
      UNSUPPORTED: 2,
      INVALID_SHAPE: 3,
      BAD_FORMAT: 3,
      CHECKSUM_MISMATCH: 3,
      IO: 3,
      NOT_FOUND: 3,
      NON_FINITE: 4,
      OUT_OF_DOMAIN: 4,
      NUMERICAL: 4,
      UNAVAILABLE: 5,
    };
    for (const [code, exitCode] of Object.entries(expected)) {
      const status = exitStatusOf(new EmpiricalBregmanError('component', code as ErrorCode, 'expected a, got b'));
      expect([code, status]).toEqual([code, { exitCode, message: 'bregman: component: expected a, got b\n' }]);
    }
  });

  it('a Node system error escaping as a plain Error is a data/IO error: one line naming the path', () => {
    let error: unknown;
    try {
      readFileSync(join(root, 'no-such-file.json'));
    } catch (e) {
      error = e;
    }
    expect(exitStatusOf(error)).toEqual({
      exitCode: 3,
      message: `bregman: ENOENT: no such file or directory, open '${join(root, 'no-such-file.json')}'\n`,
    });
  });

  it('anything else is a bug, with its stack', () => {
    const status = exitStatusOf(new TypeError('x is undefined'));
    expect(status.exitCode).toBe(1);
    expect(status.message).toMatch(/^bregman: unexpected error \(a bug.*\n.*TypeError: x is undefined\n\s+at /);
  });

  it('--help documents every exit code', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain(EXIT_CODES_HELP);
    for (const exitCode of Object.values(EXIT_CODES)) expect(stdout).toMatch(new RegExp(`^  ${exitCode}  \\w`, 'm'));
  });
});

describe('every exit code, from the CLI itself (6 is in bench/bench-failures.test.ts)', () => {
  it('0: success', async () => {
    expect((await cli('data', 'list')).code).toBe(0);
  });

  it('1: an internal error (a bug) keeps its stack trace', async () => {
    process.env.BREGMAN_FAULT = 'command/data-list';
    const { code, stdout, stderr } = await cli('data', 'list');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^bregman: unexpected error \(a bug; please report it with this trace\):\nError: fault injected/,
    );
    expect(stderr).toMatch(/\n\s+at /);
  });

  it('2: a usage error', async () => {
    expect((await cli('bench', '--seeds', 'two')).stderr).toBe(
      'bregman: --seeds: expected a positive integer, got "two"\n',
    );
    expect((await cli('bench', '--seeds', 'two')).code).toBe(2);
  });

  it('3: a file-system error names the path in one line, no stack', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const { code, stderr } = await cli(
      'bench',
      '--divergences',
      'euclidean',
      '--protocols',
      'closed-set',
      '--quiet',
      '--out',
      join(file, 'sub'),
    );
    expect(code).toBe(3);
    expect(stderr).toBe(
      `bregman: ensureDirectory: expected a folder for the output folder (--out) at ${file}, got a file\n`,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('4: a training run whose loss goes non-finite', async () => {
    const { code, stderr } = await cli(
      'train',
      ...TINY,
      '--loss',
      'ntxent',
      '--temperature',
      '1e-40',
      '--out',
      join(root, 'nan'),
    );
    expect(code).toBe(4);
    expect(stderr).toMatch(/^bregman: train: the loss became NaN at epoch 1, step 1/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('5: a dataset that is not on this machine, for train and for a bench grid of only missing data', async () => {
    process.env.BREGMAN_DATA_DIR = mkdtempSync(join(tmpdir(), 'eb-empty-cache-'));
    const out = join(root, 'missing');
    const train = await cli('train', '--dataset', 'cifar100', '--out', out);
    expect(train.code).toBe(5);
    expect(train.stderr).toBe(
      `bregman: train: expected the cifar100 data on this machine (in ${process.env.BREGMAN_DATA_DIR}, or BREGMAN_DATA_DIR), got none: fetch it with \`bregman data fetch cifar100\`\n`,
    );
    const bench = await cli('bench', '--suite', 'standard', '--datasets', 'cifar10', '--out', out);
    expect(bench.code).toBe(5);
    expect(bench.stderr).toMatch(/its data are not on this machine \(cifar10: bregman data fetch cifar10\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('5: an unreachable Redis, for bench --queue and worker', async () => {
    const out = join(root, 'unreachable');
    const bench = await cli(
      'bench',
      '--divergences',
      'euclidean',
      '--quiet',
      '--out',
      out,
      '--queue',
      'redis://:pw@127.0.0.1:1',
    );
    expect(bench.code).toBe(5);
    expect(bench.stderr).toBe(
      'bregman: bench --queue: expected a reachable Redis at redis://:***@127.0.0.1:1/0, got connect ECONNREFUSED 127.0.0.1:1\n',
    );
    expect(existsSync(out)).toBe(false);
    const worker = await cli('worker', '--queue', 'redis://127.0.0.1:1', '--quiet');
    expect(worker.code).toBe(5);
    expect(worker.stderr).toMatch(/^bregman: worker: expected a reachable Redis at redis:\/\/127\.0\.0\.1:1\/0/);
    // A secret in the user position (no colon) is masked like a password.
    const secret = await cli('worker', '--queue', 'redis://S3CRET-TOKEN@127.0.0.1:1', '--quiet');
    expect(secret.code).toBe(5);
    expect(secret.stderr).toMatch(/^bregman: worker: expected a reachable Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1\/0/);
    expect(secret.stderr).not.toContain('S3CRET');
  }, 30_000);

  it('the built binary exits with the code main returns', async () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `pnpm build` first').toBe(
      true,
    );
    const result = await runBregman(['train', '--dataset', 'kmnist', '--out', join(root, 'bin')], {
      env: { BREGMAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'eb-empty-cache-')) },
    });
    expect(result.status).toBe(5);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^bregman: train: expected the kmnist data on this machine/);
  }, 30_000);
});
