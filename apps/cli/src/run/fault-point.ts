/**
 * Named places where a test can make this process die as `kill -9` would, to prove that nothing half-written is left
 * and that `--resume` recovers: `BREGMAN_FAULT=<point>` (test-only; documented in the README's Reliability section)
 * sends SIGKILL to this process when it reaches that point, `BREGMAN_FAULT=<point>:<n>` the n-th time it does.
 * Nothing happens when the variable is unset.
 */
export type FaultPoint =
  /** Right after best-weights.bin is written, before the checkpoint that refers to it. */
  | 'after-best-weights'
  /** Right after a checkpoint is written, before the metrics file line of its epoch. */
  | 'after-checkpoint';

const reached = new Map<string, number>();

export function faultPoint(point: FaultPoint): void {
  const wanted = process.env.BREGMAN_FAULT;
  if (!wanted) return;
  const [name, nth = '1'] = wanted.split(':');
  if (name !== point) return;
  const count = (reached.get(point) ?? 0) + 1;
  reached.set(point, count);
  if (count === Number(nth)) process.kill(process.pid, 'SIGKILL');
}
