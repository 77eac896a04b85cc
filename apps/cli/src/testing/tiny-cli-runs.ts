/**
 * Test helper: `bregman train` flags of a tiny but real run (the embedded MNIST digits, closed-set, a second of
 * training), for tests that drive the CLI itself.
 */
export const TINY_TRAIN_FLAGS: readonly string[] = [
  '--dataset',
  'mnist-digits',
  '--protocol',
  'closed-set',
  '--divergence',
  'euclidean',
  '--epochs',
  '1',
  '--steps-per-epoch',
  '3',
  '--batch-size',
  '30',
  '--hidden',
  '16',
  '--embedding-dim',
  '4',
  '--max-train-samples',
  '300',
  '--max-eval-samples',
  '100',
  '--seed',
  '3',
];

/** Settings for every cell of a tiny bench grid (`bench --config FILE`): Wine, one short epoch. */
export const TINY_BENCH_SETTINGS = { epochs: 1, stepsPerEpoch: 5, patience: 0, hidden: [16], embeddingDim: 4 };
