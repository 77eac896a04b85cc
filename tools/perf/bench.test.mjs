import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bench = fileURLToPath(new URL('./bench.mjs', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [bench, ...args], { encoding: 'utf8', timeout: 60_000 });

// Only argument errors: they stop the bench before any workload runs (timings never live in unit tests).
describe('bench.mjs --peer', () => {
  it('refuses an unknown peer in one line, exit 2', () => {
    const result = run('--suite', 'bregman', '--peer', 'jax');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('bench:perf: expected --peer pytorch, got --peer jax\n');
    expect(result.stdout).toBe('');
  });

  it('refuses --peer without a name, exit 2', () => {
    const result = run('--peer');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('bench:perf: expected --peer pytorch, got nothing\n');
  });
});
