// Which Python interpreter can run the PyTorch peer: `BREGMAN_PYTHON` when set, else the first of `python3` and
// /usr/bin/python3 that imports torch (a pyenv `python3` on PATH often has no torch while Debian's python3-torch
// lives under /usr/bin/python3).
import { spawnSync } from 'node:child_process';

/** The column's text when no interpreter imports torch and BREGMAN_PYTHON is not set. */
export const TORCH_NOT_FOUND = 'PyTorch not found: apt-get install python3-torch, or set BREGMAN_PYTHON';

export const DEFAULT_PYTHONS = ['python3', '/usr/bin/python3'];

/** Why `python` could not import torch, in a few words: its last line on stderr, or why it did not start. */
function importFailure(result, timeoutMs) {
  if (result.error?.code === 'ENOENT') return 'no such program';
  if (result.error?.code === 'ETIMEDOUT') return `no answer within ${timeoutMs / 1000} s`;
  if (result.error) return result.error.message;
  const lines = String(result.stderr ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return `exit ${result.status ?? result.signal}${lines.length > 0 ? `: ${lines[lines.length - 1]}` : ''}`;
}

/**
 * Finds the interpreter for the PyTorch peer. Returns `{ python, torchVersion }`, or `{ reason }`: one line for the
 * table's PyTorch column (no exception: a missing PyTorch is a normal state of a machine, not an error of the bench).
 *
 * @param env the environment (BREGMAN_PYTHON, and PATH for the lookup of `python3`); default `process.env`.
 * @param candidates interpreters tried in order when BREGMAN_PYTHON is not set.
 * @param timeoutMs how long one `import torch` may take (a cold import on a loaded machine takes seconds).
 */
export function findTorchPython({ env = process.env, candidates = DEFAULT_PYTHONS, timeoutMs = 60_000 } = {}) {
  const chosen = env.BREGMAN_PYTHON;
  const tried = chosen ? [chosen] : candidates;
  for (const python of tried) {
    const result = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      env,
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    if (result.status === 0 && !result.error) return { python, torchVersion: result.stdout.trim() };
    if (chosen)
      return {
        reason: `PyTorch not found: BREGMAN_PYTHON=${chosen} cannot import torch (${importFailure(result, timeoutMs)})`,
      };
  }
  return { reason: TORCH_NOT_FOUND };
}
