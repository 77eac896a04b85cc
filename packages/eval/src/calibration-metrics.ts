import { describeValue } from '@empirical-bregman/common';
import { checkLabels } from './check-labels';
import { EvaluationError } from './evaluation-error';

/** Class probabilities of n items over C classes, row-major: `probabilities[i * C + c]` = p̂(c | item i). */
export interface ProbabilityMatrix {
  readonly probabilities: Float32Array | Float64Array;
  readonly numClasses: number;
}

/** One bin of a reliability diagram: items whose confidence (max p̂) fell in (lo, hi]. */
export interface ReliabilityBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  /** Fraction of the bin's items whose most probable class is right (NaN for an empty bin). */
  readonly accuracy: number;
  /** Mean confidence of the bin's items (NaN for an empty bin). */
  readonly confidence: number;
}

export interface CalibrationMetrics {
  /** Mean negative log-likelihood of the true class, −(1/n) Σ log p̂(yᵢ | i), with p̂ floored at 1e-12. */
  readonly nll: number;
  /** Multi-class Brier score (Brier 1950): (1/n) Σᵢ Σ_c (p̂(c | i) − [c = yᵢ])², in [0, 2]. */
  readonly brier: number;
  /** Expected calibration error over 15 equal-width confidence bins (Guo et al. 2017): Σ_b |B_b|/n · |acc − conf|. */
  readonly ece: number;
  /** ECE over 15 equal-mass bins (adaptive ECE, Nixon et al. 2019): the same sum with bins of ⌈n/15⌉ or ⌊n/15⌋ items. */
  readonly adaptiveEce: number;
  /** Accuracy of the most probable class (ties: the lowest class index). */
  readonly accuracy: number;
  /** The equal-width bins behind `ece`, for a reliability diagram. */
  readonly reliability: ReliabilityBin[];
  /** Each item's confidence (its largest probability), e.g. for `selectivePrediction`. */
  readonly confidence: Float64Array;
  /** Each item's 1 when its most probable class is right, else 0. */
  readonly correct: Uint8Array;
}

/** Options of {@link calibrationMetrics}. */
export interface CalibrationOptions {
  /** Bins of the ECEs and the reliability diagram. Default 15. */
  readonly bins?: number;
}

const FLOOR = 1e-12;

/**
 * Calibration of probabilistic predictions against the true labels: NLL, Brier score, ECE (equal-width bins),
 * adaptive ECE (equal-mass bins), and the reliability diagram. Rows must be probability vectors (non-negative,
 * summing to 1 within 1e-3).
 *
 * ```ts
 * const m = calibrationMetrics({ probabilities: Float32Array.of(0.9, 0.1, 0.2, 0.8), numClasses: 2 }, Int32Array.of(0, 0));
 * // m.accuracy = 0.5, m.nll = −(log 0.9 + log 0.2) / 2
 * ```
 */
export function calibrationMetrics(
  predictions: ProbabilityMatrix,
  labels: Int32Array,
  options: CalibrationOptions = {},
): CalibrationMetrics {
  const component = 'calibrationMetrics';
  const { probabilities: p, numClasses: C } = predictions;
  if (!Number.isInteger(C) || C < 1 || p.length % C !== 0 || p.length === 0)
    throw new EvaluationError(
      component,
      'INVALID_SHAPE',
      `expected probabilities of length n·numClasses with numClasses ≥ 1, got length ${p.length} and numClasses ${describeValue(C)}`,
    );
  const n = p.length / C;
  checkLabels(component, 'labels', labels, n);
  const bins = options.bins ?? 15;
  if (!Number.isInteger(bins) || bins < 1)
    throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected bins ≥ 1, got ${describeValue(bins)}`);

  const confidence = new Float64Array(n);
  const correct = new Uint8Array(n);
  let nll = 0;
  let brier = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y < 0 || y >= C)
      throw new EvaluationError(component, 'INVALID_ARGUMENT', `expected labels in [0, ${C}), got ${y} at item ${i}`);
    let sum = 0;
    let best = 0;
    for (let c = 0; c < C; c++) {
      const v = p[i * C + c]!;
      if (!(v >= 0 && v <= 1 + 1e-6))
        throw new EvaluationError(
          component,
          'INVALID_ARGUMENT',
          `expected probabilities in [0, 1], got ${v} at item ${i}, class ${c}`,
        );
      sum += v;
      if (v > p[i * C + best]!) best = c;
      brier += (v - (c === y ? 1 : 0)) ** 2;
    }
    if (Math.abs(sum - 1) > 1e-3)
      throw new EvaluationError(
        component,
        'INVALID_ARGUMENT',
        `expected each row to sum to 1, got ${sum} at item ${i}`,
      );
    nll -= Math.log(Math.max(p[i * C + y]!, FLOOR));
    confidence[i] = p[i * C + best]!;
    correct[i] = best === y ? 1 : 0;
  }

  // Equal width: item i goes to the bin (b/M, (b+1)/M] holding its confidence (confidence 0 to the first bin).
  const reliability: ReliabilityBin[] = [];
  const sums = Array.from({ length: bins }, () => ({ count: 0, right: 0, conf: 0 }));
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(confidence[i]! * bins) - 1));
    sums[b]!.count++;
    sums[b]!.right += correct[i]!;
    sums[b]!.conf += confidence[i]!;
  }
  let ece = 0;
  for (const [b, s] of sums.entries()) {
    const accuracy = s.count ? s.right / s.count : Number.NaN;
    const conf = s.count ? s.conf / s.count : Number.NaN;
    if (s.count) ece += (s.count / n) * Math.abs(accuracy - conf);
    reliability.push({ lo: b / bins, hi: (b + 1) / bins, count: s.count, accuracy, confidence: conf });
  }

  // Equal mass: sorted by confidence, split into M runs whose sizes differ by at most one (the first n mod M get
  // the extra item).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => confidence[a]! - confidence[b]! || a - b);
  let adaptiveEce = 0;
  const base = Math.floor(n / bins);
  const extra = n % bins;
  for (let b = 0, start = 0; b < bins && start < n; b++) {
    const size = base + (b < extra ? 1 : 0);
    if (size === 0) continue;
    let right = 0;
    let conf = 0;
    for (let j = start; j < start + size; j++) {
      right += correct[order[j]!]!;
      conf += confidence[order[j]!]!;
    }
    adaptiveEce += (size / n) * Math.abs(right / size - conf / size);
    start += size;
  }

  let accuracy = 0;
  for (let i = 0; i < n; i++) accuracy += correct[i]!;
  return { nll: nll / n, brier: brier / n, ece, adaptiveEce, accuracy: accuracy / n, reliability, confidence, correct };
}
