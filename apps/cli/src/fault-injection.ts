/**
 * TESTS ONLY: named places where a test makes a real run fail, to prove that nothing half-written is left, that
 * `--resume` recovers and that each failure reaches the user as one line and the right exit code. One variable,
 * `BREGMAN_FAULT` (declared in turbo.json, documented in the README's Reliability section); unset, nothing happens.
 *
 * - Kill points, `<point>[:<n>]`: the process sends itself SIGKILL, as `kill -9` would, the n-th time (default the
 *   first) it reaches the point — see {@link KillPoint}.
 * - Failure points, `command/<name>` (before a command runs, e.g. `command/data-list`) and `cell/<grid cell name>`
 *   (a bench grid cell, before it trains, wherever it runs): a plain Error is thrown there, as a bug would be.
 */
export const FAULT_ENV = 'BREGMAN_FAULT';

/** Where the run loop can be killed. */
export type KillPoint =
  /** Right after best-weights.bin is written, before the checkpoint that refers to it. */
  | 'after-best-weights'
  /** Right after a checkpoint is written, before the metrics file line of its epoch. */
  | 'after-checkpoint';

const reached = new Map<string, number>();

/** Sends SIGKILL to this process when `$BREGMAN_FAULT` is `point` or `point:n` and this is the n-th time here. */
export function killPoint(point: KillPoint): void {
  const wanted = process.env[FAULT_ENV];
  if (!wanted) return;
  const [name, nth = '1'] = wanted.split(':');
  if (name !== point) return;
  const count = (reached.get(point) ?? 0) + 1;
  reached.set(point, count);
  if (count === Number(nth)) process.kill(process.pid, 'SIGKILL');
}

/** Throws if `$BREGMAN_FAULT` names `point` (`command/<name>`, `cell/<name>`). */
export function failPoint(point: string, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const wanted = env[FAULT_ENV];
  if (wanted === point) throw new Error(`fault injected at ${point} (${FAULT_ENV}=${wanted}; a test setting)`);
}
