import { initBackend } from '@empirical-bregman/runtime';
import type { RunConfig } from '../config/run-config';
import { validateRunConfig } from '../config/validate-run-config';
import { createProgress } from '../run/progress';
import { type RunOutcome, trainRun } from '../run/train-run';

/** The train tests' small but real run: MNIST digits from the mnist package, class-disjoint, ICNN head. */
export function tinyRunConfig(overrides: Record<string, unknown> = {}): RunConfig {
  return validateRunConfig({
    dataset: 'mnist-digits',
    protocol: 'class-disjoint',
    divergence: 'icnn',
    hidden: [64],
    embeddingDim: 16,
    icnnHidden: [32],
    batchSize: 30,
    epochs: 3,
    stepsPerEpoch: 6,
    patience: 0,
    maxTrainSamples: 600,
    maxEvalSamples: 300,
    seed: 5,
    ...overrides,
  });
}

/** Trains `config` quietly into `dir` on this process's backend. */
export async function trainQuietly(
  config: RunConfig,
  dir: string,
  extra: { resume?: boolean; stopAfterSteps?: number } = {},
): Promise<RunOutcome> {
  const backend = await initBackend({ quiet: true });
  return trainRun(config, { dir, backend, progress: createProgress({ quiet: true }), ...extra });
}
