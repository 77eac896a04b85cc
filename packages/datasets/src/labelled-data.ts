import { DatasetError } from './dataset-error';

/**
 * A labelled dataset as plain typed arrays, so it can feed tfjs (see {@link batchToTensors}) or any other framework.
 *
 * Sample i occupies `features[i·D, (i+1)·D)` where D = ∏ sampleShape; images are stored height × width × channels
 * (row-major, channels last, tfjs' convention). Labels are integers in [0, numClasses).
 */
export interface LabelledData {
  /** The dataset's registry name (e.g. `'mnist-digits'`), or a free name for data built by hand. */
  readonly name: string;
  /** All samples, row-major, `labels.length · ∏ sampleShape` values. */
  readonly features: Float32Array;
  /** One integer class label per sample, in [0, numClasses). */
  readonly labels: Int32Array;
  /** The shape of one sample: `[d]` for vectors, `[height, width, channels]` for images. */
  readonly sampleShape: readonly number[];
  /** Number of classes (labels lie in [0, numClasses)). */
  readonly numClasses: number;
  /** Human-readable class names, if known (index = label). */
  readonly classNames?: readonly string[];
  /**
   * The publisher's own train/test partition as sample indices, when the source has one (Fashion-MNIST: the first
   * 60,000 samples are `train`, the last 10,000 `test`). Metric-learning protocols usually ignore it and split by
   * class instead (see {@link classDisjointSplit}).
   */
  readonly predefinedSplit?: { readonly train: Int32Array; readonly test: Int32Array };
  /**
   * The domain of each sample, an integer in [0, domainNames.length), when the samples are drawings of the same
   * classes in different styles (the emoji set: one drawing per vendor). A cross-domain evaluation queries each
   * domain's samples against the other domains' samples (In-Shop / SOP style) instead of against all.
   */
  readonly domains?: Int32Array;
  /** The domains' names (index = domain), given with `domains`. */
  readonly domainNames?: readonly string[];
}

/** D = ∏ sampleShape, the number of values per sample. */
export function sampleSize(sampleShape: readonly number[]): number {
  let d = 1;
  for (const s of sampleShape) d *= s;
  return d;
}

/**
 * Checks the invariants of a {@link LabelledData} (lengths agree, labels are integers in [0, numClasses)) and
 * returns it; every loader calls this before handing data out.
 */
export function validateLabelledData(data: LabelledData, component = 'validateLabelledData'): LabelledData {
  const d = sampleSize(data.sampleShape);
  if (!data.sampleShape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new DatasetError(
      component,
      'INVALID_SHAPE',
      `expected a sample shape of positive integers, got [${data.sampleShape.join(', ')}]`,
    );
  }
  if (data.features.length !== data.labels.length * d) {
    throw new DatasetError(
      component,
      'INVALID_SHAPE',
      `expected ${data.labels.length} samples × ${d} values = ${data.labels.length * d} features, got ${data.features.length}`,
    );
  }
  if (!Number.isInteger(data.numClasses) || data.numClasses < 1) {
    throw new DatasetError(component, 'INVALID_ARGUMENT', `expected numClasses >= 1, got ${data.numClasses}`);
  }
  if (data.domains !== undefined || data.domainNames !== undefined) {
    const names = data.domainNames ?? [];
    if (data.domains?.length !== data.labels.length || names.length === 0) {
      throw new DatasetError(
        component,
        'INVALID_SHAPE',
        `expected domains for all ${data.labels.length} samples and their domainNames, got ${data.domains?.length ?? 0} domains and ${names.length} names`,
      );
    }
    const bad = data.domains.findIndex((g) => g < 0 || g >= names.length);
    if (bad >= 0) {
      throw new DatasetError(
        component,
        'OUT_OF_DOMAIN',
        `expected domains in [0, ${names.length}), got ${data.domains[bad]} at sample ${bad}`,
      );
    }
  }
  for (let i = 0; i < data.labels.length; i++) {
    const y = data.labels[i];
    if (y < 0 || y >= data.numClasses) {
      throw new DatasetError(
        component,
        'OUT_OF_DOMAIN',
        `expected labels in [0, ${data.numClasses}), got ${y} at sample ${i}`,
      );
    }
  }
  return data;
}

/**
 * The samples at `indices` (in that order) as a new {@link LabelledData}; features, labels and domains are copied.
 *
 * ```ts
 * const split = classDisjointSplit(data.labels);
 * const test = subsetData(data, split.test);
 * ```
 */
export function subsetData(data: LabelledData, indices: ArrayLike<number>, name = data.name): LabelledData {
  const batch = gatherBatch(data, indices, 'subsetData');
  const { domains, domainNames } = data;
  return {
    name,
    features: batch.features,
    labels: batch.labels,
    sampleShape: data.sampleShape,
    numClasses: data.numClasses,
    ...(data.classNames ? { classNames: data.classNames } : {}),
    ...(domains && domainNames ? { domains: Int32Array.from(batch.indices, (i) => domains[i]), domainNames } : {}),
  };
}

/** A batch of samples copied out of a {@link LabelledData}. */
export interface Batch {
  /** `indices.length · ∏ sampleShape` values, row-major. */
  readonly features: Float32Array;
  readonly labels: Int32Array;
  /** The indices of the samples in the source dataset. */
  readonly indices: Int32Array;
}

/** Copies the samples at `indices` into a {@link Batch}; throws if an index is out of range. */
export function gatherBatch(data: LabelledData, indices: ArrayLike<number>, component = 'gatherBatch'): Batch {
  const d = sampleSize(data.sampleShape);
  const n = data.labels.length;
  const features = new Float32Array(indices.length * d);
  const labels = new Int32Array(indices.length);
  const idx = new Int32Array(indices.length);
  for (let b = 0; b < indices.length; b++) {
    const i = indices[b];
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new DatasetError(component, 'INVALID_ARGUMENT', `expected sample indices in [0, ${n}), got ${i}`);
    }
    features.set(data.features.subarray(i * d, (i + 1) * d), b * d);
    labels[b] = data.labels[i];
    idx[b] = i;
  }
  return { features, labels, indices: idx };
}

/** The number of samples of each class: `counts[c]` = #{i : labels[i] = c}. */
export function classCounts(labels: ArrayLike<number>, numClasses?: number): Int32Array {
  let k = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i] + 1);
  const counts = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/** One class of a {@link LabelledData}: its label, its name (the label as text when there are no names) and size. */
export interface ClassSize {
  readonly label: number;
  readonly name: string;
  readonly count: number;
}

/**
 * Every class's size, in label order, with its name: for the checks a training protocol makes on users' data and
 * their messages ("class \"cat\" has 3 samples, m = 4 needs 4"). Smallest first: `[...classSizes(d)].sort((a, b) =>
 * a.count - b.count)`.
 */
export function classSizes(data: LabelledData): ClassSize[] {
  const counts = classCounts(data.labels, data.numClasses);
  return Array.from(counts, (count, label) => ({ label, name: data.classNames?.[label] ?? String(label), count }));
}
