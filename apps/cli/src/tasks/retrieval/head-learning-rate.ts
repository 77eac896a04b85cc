/** `divergenceSchedule`: how the head's learning rate moves over a run. */
export const HEAD_SCHEDULES = ['constant', 'warmup-cosine'] as const;
export type HeadSchedule = (typeof HEAD_SCHEDULES)[number];

/** The share of a run's steps the `warmup-cosine` schedule spends warming up. */
export const WARMUP_SHARE = 0.1;

/**
 * The divergence head's learning rate at optimiser step t (0-based) of T = epochs × steps per epoch:
 * - `constant`: η;
 * - `warmup-cosine`: η · min(1, (t + 1)/W) · ½(1 + cos(π · min(t, T)/T)), W = ⌈0.1 T⌉ — a linear warm-up, then a
 *   cosine decay to 0 (Loshchilov & Hutter 2017, SGDR, one cycle). Why the head has its own: a learned generator
 *   that starts at ½‖x‖² needs a larger η than the trunk to move at all, and that η is too large at the start (the
 *   trunk's embeddings are still moving) and at the end (the trunk settles on the head's geometry).
 *
 * ```ts
 * headLearningRate('warmup-cosine', 0.01, 0, 100); // 0.01 · (1/10) · ½(1 + cos 0) = 0.001
 * ```
 */
export function headLearningRate(schedule: HeadSchedule, base: number, step: number, totalSteps: number): number {
  if (schedule === 'constant' || totalSteps <= 0) return base;
  const warmup = Math.max(1, Math.ceil(WARMUP_SHARE * totalSteps));
  const t = Math.min(step, totalSteps);
  return base * Math.min(1, (step + 1) / warmup) * 0.5 * (1 + Math.cos((Math.PI * t) / totalSteps));
}
