import type { QuerySlot } from '@empirical-bregman/bregman-core';
/**
 * The data a report is drawn from: the training pipeline fills these plain objects (JSON-serialisable, also saved
 * as `results.json`), the report module turns them into `results.md` and a self-contained `report.html`.
 */

/** Which tfjs backend produced a result (recorded with every result). */
export interface BackendSummary {
  readonly backend: string;
  readonly tfjsVersion: string;
  readonly simd: boolean | null;
  readonly threads: number | null;
  /**
   * wasm in Node: the native BLAS kernels, "OpenBLAS 0.3.21, 2 threads, Haswell" when on, "off: <why>" when not;
   * null on other backends, absent from results saved before it was recorded.
   */
  readonly native?: string | null;
}

/** One point of a learning curve. */
export interface CurvePoint {
  readonly epoch: number;
  /** Global optimiser step at the end of which the value was measured. */
  readonly step: number;
  /** 'train' for the training loss, 'val' for validation metrics. */
  readonly split: 'train' | 'val';
  /** e.g. 'loss', 'mapAtR', 'precisionAt1', 'meanDivergence'. */
  readonly metric: string;
  readonly value: number;
}

/** Metric names as the eval package reports them (P@1, R-precision, MAP@R, Recall@K, NMI, AMI, …). */
export type MetricValues = Readonly<Record<string, number>>;

/** One row of a results table. */
export interface ResultRow {
  /** 'class-disjoint' or 'closed-set'. */
  readonly protocol: string;
  /** What was evaluated, e.g. 'raw input', 'untrained network', 'trained'. */
  readonly model: string;
  /** Divergence head name: 'euclidean', 'cosine', 'mahalanobis', 'max-affine', 'icnn', 'kl', 'itakura-saito'. */
  readonly divergence: string;
  /** For asymmetric divergences: which slot of D the query took. Absent for symmetric ones. */
  readonly querySlot?: QuerySlot;
  readonly metrics: MetricValues;
}

/** A 2-D projection (UMAP) of test embeddings, coloured by class. */
export interface Projection2D {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly labels: readonly number[];
  /** How it was made, e.g. 'UMAP (umap-js), 1,000 test embeddings, seed 1'. */
  readonly method: string;
  /** Which rows of the projected embedding matrix the points are (after subsampling), in point order. */
  readonly indices?: readonly number[];
}

/** The divergence matrix D(a_i, a_j) of a sample, rows and columns sorted by class. */
export interface DivergenceMatrix {
  /** values[i][j] = D(sample_i, sample_j) (row = left slot). */
  readonly values: readonly (readonly number[])[];
  readonly labels: readonly number[];
}

/** For 2-D toy runs: the learned generator φ on a grid, drawn as a contour/heat map. */
export interface PhiSurface {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** values[iy][ix] = φ(xs[ix], ys[iy]). */
  readonly values: readonly (readonly number[])[];
}

/** Retrieval examples for image data: a query and its nearest references under the learned divergence. */
export interface RetrievalExample {
  readonly query: { readonly pixels: readonly number[]; readonly label: number };
  readonly neighbours: readonly {
    readonly pixels: readonly number[];
    readonly label: number;
    readonly divergence: number;
  }[];
}

export interface RetrievalExamples {
  /** [height, width] of every image; pixel values in [0, 1], row-major, channels interleaved. */
  readonly imageShape: readonly [number, number];
  /** 1 (grey, the default: reports written before colour had none) or 3 (RGB). */
  readonly channels?: 1 | 3;
  /** Class names by label, shown under the tiles (the label number without them). */
  readonly classNames?: readonly string[];
  readonly examples: readonly RetrievalExample[];
}

/** A grid of training samples: a few classes, a few images each (image datasets only). */
export interface SampleTiles {
  /** [height, width]; pixel values in [0, 1], row-major, channels interleaved. */
  readonly imageShape: readonly [number, number];
  readonly channels: 1 | 3;
  readonly classes: readonly {
    readonly label: number;
    readonly name: string;
    readonly images: readonly (readonly number[])[];
  }[];
}

/** Everything one `bregman train` run reports. */
export interface RunReportData {
  readonly title: string;
  /** ISO timestamp. */
  readonly createdAt: string;
  readonly backend: BackendSummary;
  /** The validated run configuration. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly curves: readonly CurvePoint[];
  readonly results: readonly ResultRow[];
  readonly projection?: Projection2D;
  readonly divergenceMatrix?: DivergenceMatrix;
  readonly phiSurface?: PhiSurface;
  readonly retrievalExamples?: RetrievalExamples;
  /** Image datasets: training samples of a few classes. */
  readonly samples?: SampleTiles;
  /** Closed-set runs: the calibrated centroid posterior's reliability diagram and risk–coverage curve. */
  readonly calibration?: CalibrationReport;
  /** Class-disjoint runs: how well each score tells the unseen test classes from held-out items of the seen ones. */
  readonly unseenClasses?: UnseenClassReport;
  /** Free-form remarks shown under the table (early stopping, NaN stops, skipped parts). */
  readonly notes?: readonly string[];
}

/** One finished run of a benchmark grid. */
export interface BenchRun {
  readonly dataset: string;
  readonly protocol: string;
  /** The method (named bundle of loss, miner, divergence settings) of a suite with a methods axis. */
  readonly method?: string;
  readonly divergence: string;
  readonly seed: number;
  readonly querySlot?: QuerySlot;
  readonly model: string;
  readonly metrics: MetricValues;
  /** Path of the run folder, relative to the bench folder. */
  readonly runDir?: string;
  /** Wall time of the run in seconds (methods suites; absent for a run reused by `bench --resume`). */
  readonly seconds?: number;
}

/** Everything one `bregman bench` reports. */
export interface BenchReportData {
  readonly title: string;
  readonly createdAt: string;
  readonly backend: BackendSummary;
  readonly suite: string;
  readonly runs: readonly BenchRun[];
  /** Grid cells that did not run, with the reason and, for missing data, the command that fetches it. */
  readonly skipped: readonly {
    readonly what: string;
    readonly reason: string;
    /** The shell command that fetches the missing data, e.g. 'bregman data fetch fashion-mnist' (shown as code). */
    readonly command?: string;
  }[];
}

/**
 * A results.json as this version reads it: files written before the query side was named `querySlot` everywhere
 * (`queryIn` in their result rows) are read with the new name, so `bregman report` and `bench --resume` keep working
 * on old folders.
 */
export function upgradeReportJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => upgradeReportJson(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key === 'queryIn' ? 'querySlot' : key] = upgradeReportJson(v);
  return out as T;
}

/** Unseen-class detection of a class-disjoint run (see the retrieval task's `unseenClassDetection`). */
export interface UnseenClassReport {
  /** τ of the centroid posterior and the energy, fitted on half of the seen-class test part. */
  readonly temperature: number;
  readonly seenItems: number;
  readonly unseenItems: number;
  readonly scores: readonly {
    /** 'minDivergence' | 'maxPosterior' | 'energy' | 'knn'. */
    readonly score: string;
    readonly auroc: number;
    readonly fprAtTpr95: number;
  }[];
}

/** What a run report draws of its class probabilities (see the retrieval task's calibration). */
export interface CalibrationReport {
  /** The temperature τ fitted on the validation part. */
  readonly temperature: number;
  /** Equal-width confidence bins: count, accuracy and mean confidence (NaN for empty bins). */
  readonly reliability: readonly {
    readonly lo: number;
    readonly hi: number;
    readonly count: number;
    readonly accuracy: number;
    readonly confidence: number;
  }[];
  /** Error rate among the most confident fraction kept. */
  readonly riskCoverage: readonly { readonly coverage: number; readonly risk: number }[];
}
