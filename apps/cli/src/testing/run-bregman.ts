import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Test helper: the built `bregman` binary (run `pnpm build` in apps/cli first). */
export const BREGMAN_BIN = fileURLToPath(new URL('../../bin/bregman.js', import.meta.url));

/** How a `bregman` child process ended and what it printed (utf8), as `spawnSync` reports it. */
export interface BregmanResult {
  /** The exit code, or null when a signal ended it. */
  status: number | null;
  /** The signal that ended it (e.g. SIGKILL from BREGMAN_FAULT), or null when it exited. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunBregmanOptions {
  /** Variables added to (or replacing) this process's environment. */
  env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed (it is closed at once without it). */
  input?: string;
  /**
   * Kill the child (SIGKILL) and reject after this many ms. Default 120 000, the suite's test timeout, so that a
   * child of a timed-out test does not go on training in the background.
   */
  timeoutMs?: number;
}

/**
 * Test helper: runs the built binary (`node bin/bregman.js …args`) in a child process and resolves when it ends.
 *
 * Asynchronous on purpose: a `spawnSync` of a training run blocks the test file's thread for seconds, so it cannot
 * answer vitest's RPC in time and vitest reports `Timeout calling "onTaskUpdate"` (vitest-dev/vitest#8164) — an
 * unhandled error that fails the suite although every test passed.
 *
 * @example
 * const done = await runBregman(['train', '--resume', dir, '--quiet'], { env: { BREGMAN_FAULT: 'after-checkpoint:1' } });
 * expect(done.signal).toBe('SIGKILL');
 */
export function runBregman(args: readonly string[], options: RunBregmanOptions = {}): Promise<BregmanResult> {
  const { env, input, timeoutMs = 120_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BREGMAN_BIN, ...args], {
      env: env ? { ...process.env, ...env } : process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    // A child that exits without reading its input closes the pipe under us (EPIPE): spawnSync ignores that too.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`runBregman: expected to start bregman ${args.join(' ')}, got ${error.message}`));
    });
    // 'close', not 'exit': stdout and stderr are complete only once both pipes are closed.
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        const tail = stderr.trim().split('\n').at(-1) ?? '';
        reject(
          new Error(
            `runBregman: expected bregman ${args.join(' ')} to end within ${timeoutMs} ms, got it still running (killed it; last stderr line: ${tail})`,
          ),
        );
      } else resolve({ status, signal, stdout, stderr });
    });
  });
}
