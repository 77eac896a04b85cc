import { listDatasets } from '@empirical-bregman/datasets/node';
import { CliError } from '../cli-error';
import { BENCH_METHODS, type TunableMethod } from './bench-methods';
import { DIVERGENCE_HEADS, type DivergenceHead, PROTOCOLS, type Protocol, type RunConfig } from '../config/run-config';
import { taskDataNames } from '../tasks/task-registry';
import { DATASET_CHOICES } from '../config/run-config-schema';
import { suggestion } from '../config/schema';
import { dataNameOf, validateRunConfig } from '../config/validate-run-config';
import {
  DIVERGENCE_REGRESSION,
  DIVERGENCE_REGRESSION_HEADS,
} from '../tasks/divergence-regression/divergence-regression-config';
import { GAUSSIAN_SETS } from '../tasks/set-clustering/set-clustering-config';

export const SUITES = ['quick', 'standard', 'methods'] as const;
export type SuiteName = (typeof SUITES)[number];

/** One cell of a benchmark grid. */
export interface GridItem {
  readonly config: RunConfig;
  /** Folder name of the run inside the bench folder. */
  readonly name: string;
  /** The method (named bundle of settings) of a suite with a methods axis; absent in a divergence-axis suite. */
  readonly method?: string;
  /** `--tune`: the index of the method's trial (its search space's settings) this cell tries. */
  readonly trial?: number;
}

export interface BenchPlan {
  readonly items: GridItem[];
  readonly skipped: { what: string; reason: string; command?: string }[];
}

export interface BenchSelection {
  readonly suite: SuiteName;
  readonly seeds?: number;
  readonly datasets?: readonly string[];
  readonly divergences?: readonly string[];
  readonly protocols?: readonly string[];
  /** The suite's small variant (CI): tiny data, one seed, every method. */
  readonly smoke?: boolean;
  /** Only these methods (suites with a methods axis). */
  readonly methods?: readonly string[];
  /**
   * The hyper-parameter search instead of the suite: every trial of every method on the suite's tuning datasets,
   * one seed, validation on held-out classes; the bench folder then gets tuning.json (see `writeTuning`).
   */
  readonly tune?: boolean;
  /** The search's choice (tuning.json's `chosen`): per method, settings applied over the method's own. */
  readonly tuned?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Extra settings applied to every run (validated like a config file). */
  readonly overrides?: Record<string, unknown>;
}

interface SuiteSpec {
  readonly datasets: readonly {
    name: string;
    protocols: readonly Protocol[];
    settings?: Record<string, unknown>;
    /** Settings for one protocol only (e.g. the CNN trunk for class-disjoint MNIST). */
    protocolSettings?: Partial<Record<Protocol, Record<string, unknown>>>;
    /** The heads that make sense for this dataset, when not the suite's list (still filtered by --divergences). */
    divergences?: readonly DivergenceHead[];
  }[];
  readonly divergences: readonly DivergenceHead[];
  /**
   * The methods axis: when present, each cell is a (dataset, protocol, method, seed) and the method's settings
   * choose the divergence (`divergences` is then only the filter's vocabulary); absent, a cell is one divergence.
   */
  readonly methods?: readonly TunableMethod[];
  /** The datasets `--tune` searches on (their validation classes), when the suite has methods. */
  readonly tuneDatasets?: readonly string[];
  readonly seeds: number;
  readonly settings: Record<string, unknown>;
  /** The `--smoke` variant of the suite, when it has one. */
  readonly smoke?: SuiteSpec;
}

/**
 * The methods suite's run settings, the same for every method (Musgrave et al. 2020's fairness: one trunk per
 * dataset, one embedding size, batch composition, optimiser and epoch budget); a method only adds its loss, miner,
 * divergence and their hyper-parameters. Sized by the budget table in the README (≤ 2 hours on 2 cores, search
 * included).
 */
const METHODS_SETTINGS = {
  embeddingDim: 64,
  hidden: [256],
  batchSize: 60,
  learningRate: 1e-3,
  epochs: 3,
  patience: 0,
  maxTrainSamples: 2000,
  maxEvalSamples: 1000,
  icnnHidden: [64, 64],
} as const;

/**
 * The suites. `quick` is what `pnpm start` runs: the embedded MNIST digits, both protocols, the fixed and learned
 * divergences, one seed, sized to finish in minutes on wasm. `standard` adds real and tabular data and 5 seeds.
 * Every run also reports the raw-input Euclidean and cosine rows and its untrained network.
 */
const SUITE_SPECS: Record<SuiteName, SuiteSpec> = {
  quick: {
    datasets: [
      {
        name: 'mnist-digits',
        protocols: ['closed-set', 'class-disjoint'],
        // Measured here: an MLP trained on digits 0–4 ranks the unseen digits 5–9 worse than raw pixels (MAP@R 0.26
        // vs 0.36); a small CNN transfers (0.42). Held-out *classes* for validation would leave 3 training classes,
        // too few to transfer (0.19), so class-disjoint MNIST validates on held-out samples of the 5.
        protocolSettings: { 'class-disjoint': { trunk: 'cnn', validation: 'samples', epochs: 3 } },
      },
    ],
    divergences: ['euclidean', 'cosine', 'mahalanobis', 'max-affine', 'icnn'],
    seeds: 1,
    settings: { epochs: 5, patience: 3, maxEvalSamples: 1500, hidden: [256], embeddingDim: 64 },
  },
  standard: {
    datasets: [
      {
        name: 'mnist-digits',
        protocols: ['closed-set', 'class-disjoint'],
        // As in the quick suite: on 5 training digits an MLP falls below raw pixels on the unseen ones (measured in
        // this suite: MAP@R 0.19 vs 0.36); the small CNN transfers. 5 epochs: a CNN epoch costs ~10× an MLP's.
        protocolSettings: { 'class-disjoint': { trunk: 'cnn', validation: 'samples', epochs: 5 } },
      },
      { name: 'fashion-mnist', protocols: ['closed-set', 'class-disjoint'], settings: { maxTrainSamples: 20_000 } },
      {
        name: 'uci-digits',
        protocols: ['closed-set', 'class-disjoint'],
        settings: { hidden: [128], embeddingDim: 32 },
      },
      {
        name: 'wine',
        protocols: ['closed-set'],
        settings: { hidden: [32], embeddingDim: 8, batchSize: 30, epochs: 30 },
      },
      {
        name: 'breast-cancer',
        protocols: ['closed-set'],
        settings: { hidden: [64], embeddingDim: 16, batchSize: 40, epochs: 30 },
      },
      { name: 'kmnist', protocols: ['closed-set', 'class-disjoint'], settings: { maxTrainSamples: 20_000 } },
      // Single points around means on circles of radii 0.2/0.6/1.0 (σ = 0.05): an easier point-level variant of Deep
      // Divergence Learning's clustering task (that one is gaussian-sets, below). A 2-D embedding, so the report
      // draws the learned φ; Bregman k-means Rand index / ARI are in the metrics.
      {
        name: 'concentric-circles',
        protocols: ['closed-set'],
        settings: { hidden: [32], embeddingDim: 2, batchSize: 30, epochs: 20 },
      },
      { name: 'cifar10', protocols: ['closed-set', 'class-disjoint'], settings: { maxTrainSamples: 20_000 } },
      // Deep Divergence Learning's Gaussian-set clustering as published (sets of 50 points, see the set-clustering
      // task): the Euclidean and learned Bregman heads over pooled embeddings, the task's own epochs and set counts
      // (the suite's maxEvalSamples would mean 5000 test sets). Moment matching is the same grid with
      // `--config` {setDivergence: moment-matching} and `--divergences euclidean` (README: Results).
      {
        name: GAUSSIAN_SETS,
        protocols: ['closed-set'],
        divergences: ['euclidean', 'icnn'],
        settings: { epochs: 20, patience: 5, maxEvalSamples: 0 },
      },
      // Regression of a known asymmetric divergence (D of φ = Σ e^{xᵢ} on pairs in [−1, 1]⁸; see the regression
      // folder): generated, so always available; the head alone on raw points, closed-set only, and only the heads
      // defined on ℝᵈ. Its own epochs/patience and pair counts (the suite's maxEvalSamples would mean 5000 pairs).
      {
        name: DIVERGENCE_REGRESSION,
        protocols: ['closed-set'],
        divergences: DIVERGENCE_REGRESSION_HEADS,
        settings: { epochs: 20, patience: 5, maxEvalSamples: 0 },
      },
    ],
    divergences: ['euclidean', 'cosine', 'mahalanobis', 'max-affine', 'icnn', 'kl', 'itakura-saito'],
    seeds: 5,
    settings: { epochs: 15, patience: 4, maxEvalSamples: 5000 },
  },
  // Issue 21: the learned Bregman divergence against the DML methods, five datasets, class-disjoint.
  methods: {
    datasets: [
      // 10-class data split 5/5: validation on held-out samples of the 5 training classes (held-out classes would
      // leave 3 to train on; see the quick suite). The hyper-parameters are chosen on validation classes by --tune.
      // Batches: 12 samples of each of the 5 training classes (measured: 4 of each left batches of 20 and 150 steps an
      // epoch, 50 s a run under load, over the budget).
      { name: 'mnist-digits', protocols: ['class-disjoint'], settings: { validation: 'samples', samplesPerClass: 12 } },
      {
        name: 'fashion-mnist',
        protocols: ['class-disjoint'],
        settings: { validation: 'samples', samplesPerClass: 12 },
      },
      { name: 'uci-digits', protocols: ['class-disjoint'], settings: { validation: 'samples', samplesPerClass: 12 } },
      // 200 characters (the loader's default), 20 drawings each: 100 training classes, 10 of them for validation
      // (a tenth); batches of 4 drawings of each of 15 characters.
      { name: 'hanzi', protocols: ['class-disjoint'], settings: { validation: 'classes', samplesPerClass: 4 } },
      // 1,876 emoji × 2 vendors (32 × 32 × 3): 938 training classes, 94 of them for validation; batches of both
      // drawings of 30 emoji. The dearest dataset of the suite (≈ 30 s a run, mostly clustering ~470 test classes).
      { name: 'emoji', protocols: ['class-disjoint'], settings: { validation: 'classes', samplesPerClass: 2 } },
    ],
    divergences: DIVERGENCE_HEADS,
    methods: BENCH_METHODS,
    // Search on the two quickest datasets, one with few classes and one with many (Musgrave et al. tune on the
    // validation classes of each dataset; a fixed choice from two keeps the search inside the 2-hour budget).
    tuneDatasets: ['uci-digits', 'hanzi'],
    seeds: 5,
    settings: METHODS_SETTINGS,
    // What CI runs (a test, see methods-suite.e2e.test.ts): every method for a few steps on a slice of UCI digits.
    smoke: {
      datasets: [
        { name: 'uci-digits', protocols: ['class-disjoint'], settings: { validation: 'samples', samplesPerClass: 12 } },
      ],
      divergences: DIVERGENCE_HEADS,
      methods: BENCH_METHODS,
      tuneDatasets: ['uci-digits'],
      seeds: 1,
      settings: {
        ...METHODS_SETTINGS,
        hidden: [32],
        embeddingDim: 16,
        icnnHidden: [16, 16],
        maxAffinePieces: 8,
        epochs: 1,
        stepsPerEpoch: 4,
        maxTrainSamples: 400,
        maxEvalSamples: 200,
      },
    },
  },
};

function pick<T extends string>(
  what: string,
  requested: readonly string[] | undefined,
  allowed: readonly T[],
): readonly T[] {
  if (!requested || requested.length === 0) return allowed;
  for (const r of requested) {
    if (!(allowed as readonly string[]).includes(r)) {
      throw new CliError(
        'bench',
        'INVALID_ARGUMENT',
        `--${what} must name values among ${allowed.join(', ')}; got ${JSON.stringify(r)}${suggestion(r, allowed)}`,
      );
    }
  }
  return requested as readonly T[];
}

/** The grid of a suite after the user's filters, each cell a validated run config; missing data → skipped. */
export function planBench(selection: BenchSelection): BenchPlan {
  const suiteSpec = SUITE_SPECS[selection.suite];
  if (!suiteSpec)
    throw new CliError(
      'bench',
      'INVALID_ARGUMENT',
      `--suite must be one of ${SUITES.join(', ')}; got ${JSON.stringify(selection.suite)}`,
    );
  if (selection.smoke && !suiteSpec.smoke)
    throw new CliError(
      'bench',
      'INVALID_ARGUMENT',
      `expected --smoke with a suite that has a smoke variant (${SUITES.filter((s) => SUITE_SPECS[s].smoke).join(', ')}), got --suite ${selection.suite}`,
    );
  const spec = selection.smoke && suiteSpec.smoke ? suiteSpec.smoke : suiteSpec;
  if ((selection.tune || selection.tuned) && !spec.methods)
    throw new CliError(
      'bench',
      'INVALID_ARGUMENT',
      `expected --tune or --tuning with a suite that has methods, got --suite ${selection.suite}`,
    );
  if (selection.tune && selection.tuned)
    throw new CliError('bench', 'INVALID_ARGUMENT', 'expected --tune (the search) or --tuning (its choice), got both');
  for (const method of Object.keys(selection.tuned ?? {}))
    if (!spec.methods?.some((m) => m.name === method))
      throw new CliError(
        'bench',
        'INVALID_ARGUMENT',
        `expected the tuning choice to name methods of the suite, got ${JSON.stringify(method)}`,
      );
  const seeds = selection.tune ? 1 : (selection.seeds ?? spec.seeds);
  if (selection.tune && selection.seeds !== undefined && selection.seeds !== 1)
    throw new CliError('bench', 'INVALID_ARGUMENT', `expected --tune with one seed, got --seeds ${selection.seeds}`);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100)
    throw new CliError('bench', 'INVALID_ARGUMENT', `--seeds must be an integer in [1, 100]; got ${seeds}`);
  const dataParallel = selection.overrides?.dataParallel;
  if (dataParallel !== undefined && dataParallel !== 1)
    throw new CliError(
      'bench',
      'INVALID_ARGUMENT',
      `expected dataParallel 1 in a bench grid (its runs already share the cores as parallel cells), got ${JSON.stringify(dataParallel)}`,
    );
  // Users' data (`--data`, or `data` in --config): one grid entry, instead of the suite's datasets.
  const userData = typeof selection.overrides?.data === 'string' ? selection.overrides.data : undefined;
  if (userData !== undefined && selection.datasets)
    throw new CliError('bench', 'INVALID_ARGUMENT', 'expected --datasets or --data (your files), got both');
  const datasets = pick('datasets', selection.datasets, DATASET_CHOICES);
  const divergences = pick('divergences', selection.divergences, DIVERGENCE_HEADS);
  const protocols = pick('protocols', selection.protocols, PROTOCOLS);
  if (selection.methods && !spec.methods)
    throw new CliError(
      'bench',
      'INVALID_ARGUMENT',
      `expected --methods with a suite that has methods (${SUITES.filter((s) => SUITE_SPECS[s].methods).join(', ')}), got --suite ${selection.suite}`,
    );
  const methodNames = spec.methods
    ? pick(
        'methods',
        selection.methods,
        spec.methods.map((m) => m.name),
      )
    : [];
  // One axis for both kinds of suite: a divergence-axis cell is a method named after its divergence, unlabelled.
  const axisOf = (entry: (typeof spec.datasets)[number]): { method?: TunableMethod; divergence: DivergenceHead }[] =>
    spec.methods
      ? spec.methods
          .filter((m) => methodNames.includes(m.name))
          .filter((m) => (entry.divergences ?? DIVERGENCE_HEADS).includes(m.settings.divergence))
          .filter((m) => divergences.includes(m.settings.divergence))
          .map((m) => ({ method: m, divergence: m.settings.divergence }))
      : (entry.divergences ?? spec.divergences).filter((d) => divergences.includes(d)).map((d) => ({ divergence: d }));
  const available = new Map(listDatasets().map((d) => [d.name as string, d.available]));
  const items: GridItem[] = [];
  const skipped: BenchPlan['skipped'] = [];
  const entries = userData
    ? [{ name: dataNameOf(userData), protocols: [...PROTOCOLS] } as (typeof spec.datasets)[number]]
    : selection.datasets
      ? datasets.map(
          (name) =>
            spec.datasets.find((d) => d.name === name) ??
            // Data a task makes itself (the regression pairs) run with that task's own protocol and heads, whatever
            // the suite: the standard suite's entry holds them.
            (taskDataNames().includes(name)
              ? SUITE_SPECS.standard.datasets.find((d) => d.name === name)
              : undefined) ?? {
              name,
              protocols: [...PROTOCOLS],
            },
        )
      : selection.tune
        ? spec.datasets.filter((d) => spec.tuneDatasets?.includes(d.name))
        : spec.datasets;
  // Cells of skipped datasets: a grid left empty by missing data is an unavailable resource, not a bad filter.
  let missingCells = 0;
  for (const entry of entries) {
    if (available.get(entry.name) === false) {
      missingCells += entry.protocols.filter((p) => protocols.includes(p)).length * axisOf(entry).length;
      skipped.push({
        what: entry.name,
        reason: 'data not present on this machine',
        command: `bregman data fetch ${entry.name}`,
      });
      continue;
    }
    for (const protocol of entry.protocols) {
      if (!protocols.includes(protocol)) continue;
      for (const { method, divergence } of axisOf(entry)) {
        // --tune: each trial of the method once (seed 1), validated on held-out classes; otherwise one cell per seed.
        const cells = selection.tune && method ? method.trials.map((_, trial) => ({ seed: 1, trial })) : [];
        if (cells.length === 0) for (let seed = 1; seed <= seeds; seed++) cells.push({ seed, trial: -1 });
        for (const { seed, trial } of cells) {
          const name = `${entry.name}-${protocol}-${method?.name ?? divergence}-${trial >= 0 ? `t${trial + 1}` : `s${seed}`}`;
          const config = validateRunConfig(
            {
              ...spec.settings,
              ...entry.settings,
              ...('protocolSettings' in entry ? entry.protocolSettings?.[protocol] : undefined),
              ...method?.settings,
              ...(trial >= 0 ? { ...method?.trials[trial], validation: 'classes' } : {}),
              ...(method ? selection.tuned?.[method.name] : undefined),
              ...selection.overrides,
              ...(userData ? {} : { dataset: entry.name }),
              protocol,
              divergence,
              seed,
              name,
            },
            `bench ${selection.suite} (${name})`,
          );
          items.push(
            method ? { config, name, method: method.name, ...(trial >= 0 ? { trial } : {}) } : { config, name },
          );
        }
      }
    }
  }
  if (items.length === 0 && missingCells > 0)
    throw new CliError(
      'bench',
      'UNAVAILABLE',
      `expected at least one run in the grid, got none: its data are not on this machine (${skipped.map((x) => `${x.what}: ${x.command}`).join('; ')})`,
    );
  if (items.length === 0)
    throw new CliError(
      'bench',
      'INVALID_ARGUMENT',
      'expected at least one run in the grid, got none after the filters',
    );
  return { items, skipped };
}
