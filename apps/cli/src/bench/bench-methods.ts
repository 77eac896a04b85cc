import type { DivergenceHead } from '../config/run-config';

/**
 * A method of a suite with a methods axis: a named bundle of run settings (loss, miner, divergence and their
 * hyper-parameters), e.g. `triplet-semihard` = { loss: 'triplet', miner: 'semihard', divergence: 'euclidean' }.
 * Its name labels the bench rows instead of the divergence alone (two methods may share a head).
 */
export interface BenchMethod {
  readonly name: string;
  /** Run settings as in a config file; `divergence` is required (the grid's divergence filter reads it). */
  readonly settings: Readonly<Record<string, unknown>> & { readonly divergence: DivergenceHead };
}

/**
 * A method of the methods suite with its hyper-parameter search space: the trials `bench --suite methods --tune`
 * runs on the validation classes (each trial's settings go over the method's own). One trial means the method has
 * no hyper-parameter this CLI exposes (its paper's defaults are kept, e.g. MultiSimilarity's α = 2, β = 50, λ = 1).
 */
export interface TunableMethod extends BenchMethod {
  readonly trials: readonly Readonly<Record<string, unknown>>[];
  /** True for the learned Bregman divergence (ICNN generator) rows the win rule is about. */
  readonly learnedDivergence?: boolean;
}

const grid = (a: Record<string, readonly unknown[]>): Record<string, unknown>[] => {
  let out: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(a)) out = out.flatMap((o) => values.map((v) => ({ ...o, [key]: v })));
  return out;
};

// The head's Adam also trains a loss's class weights (proxies): their learning rate is the proxy losses' knob.
const proxyRates = grid({ divergenceLearningRate: [1e-3, 3e-3, 1e-2, 3e-2] });
const headTriplet = grid({ margin: [0.1, 0.2], divergenceLearningRate: [1e-3, 1e-2] });
const headSoftmax = grid({ temperature: [0.1, 0.3], divergenceLearningRate: [1e-3, 1e-2] });
// With its own schedule the head can take a larger peak rate: the warm-up and the decay tame its ends.
const scheduledSoftmax = grid({ temperature: [0.1, 0.3], divergenceLearningRate: [3e-3, 3e-2] });

/**
 * The methods of `bench --suite methods` (issue 21), in table order: the losses the DML literature uses, each with its
 * usual distance (Musgrave et al. 2020, "A Metric Learning Reality Check"), the learned Mahalanobis and max-affine
 * heads under triplet + semihard, and the learned Bregman divergence (ICNN) with BregmanSoftmaxLoss and with triplet
 * + semihard (the other loss; the lead may swap in the best baseline loss once a full run has named it), then the
 * ablation rows of the ICNN with BregmanSoftmaxLoss: plain vs residual (½‖z‖² + a gated ICNN that starts at 0), each
 * with and without the head's own learning-rate schedule.
 */
export const BENCH_METHODS: readonly TunableMethod[] = [
  {
    name: 'contrastive',
    settings: { loss: 'contrastive', miner: 'none', divergence: 'euclidean' },
    trials: grid({ margin: [0.1, 0.3, 0.5, 1] }),
  },
  {
    name: 'triplet-semihard',
    settings: { loss: 'triplet', miner: 'semihard', divergence: 'euclidean' },
    trials: grid({ margin: [0.05, 0.1, 0.2, 0.4] }),
  },
  {
    name: 'multi-similarity',
    settings: { loss: 'multi-similarity', miner: 'multi-similarity', divergence: 'cosine' },
    trials: [{}],
  },
  { name: 'proxy-anchor', settings: { loss: 'proxy-anchor', miner: 'none', divergence: 'cosine' }, trials: proxyRates },
  {
    name: 'supcon',
    settings: { loss: 'supcon', miner: 'none', divergence: 'cosine' },
    trials: grid({ temperature: [0.05, 0.1, 0.2, 0.5] }),
  },
  { name: 'arc-face', settings: { loss: 'arc-face', miner: 'none', divergence: 'cosine' }, trials: proxyRates },
  { name: 'soft-triple', settings: { loss: 'soft-triple', miner: 'none', divergence: 'cosine' }, trials: proxyRates },
  { name: 'circle', settings: { loss: 'circle', miner: 'none', divergence: 'cosine' }, trials: [{}] },
  {
    name: 'mahalanobis-triplet',
    settings: { loss: 'triplet', miner: 'semihard', divergence: 'mahalanobis' },
    trials: headTriplet,
  },
  {
    name: 'max-affine-triplet',
    settings: { loss: 'triplet', miner: 'semihard', divergence: 'max-affine' },
    trials: headTriplet,
  },
  {
    name: 'icnn-bregman-softmax',
    settings: { loss: 'bregman-softmax', miner: 'none', divergence: 'icnn' },
    trials: headSoftmax,
    learnedDivergence: true,
  },
  {
    name: 'icnn-triplet-semihard',
    settings: { loss: 'triplet', miner: 'semihard', divergence: 'icnn' },
    trials: headTriplet,
    learnedDivergence: true,
  },
  // Ablation: the plain ICNN row above is `icnn-bregman-softmax`.
  {
    name: 'icnn-bregman-softmax-schedule',
    settings: { loss: 'bregman-softmax', miner: 'none', divergence: 'icnn', divergenceSchedule: 'warmup-cosine' },
    trials: scheduledSoftmax,
    learnedDivergence: true,
  },
  {
    name: 'icnn-residual-bregman-softmax',
    settings: { loss: 'bregman-softmax', miner: 'none', divergence: 'icnn', icnnResidual: true },
    trials: headSoftmax,
    learnedDivergence: true,
  },
  {
    name: 'icnn-residual-bregman-softmax-schedule',
    settings: {
      loss: 'bregman-softmax',
      miner: 'none',
      divergence: 'icnn',
      icnnResidual: true,
      divergenceSchedule: 'warmup-cosine',
    },
    trials: scheduledSoftmax,
    learnedDivergence: true,
  },
];
