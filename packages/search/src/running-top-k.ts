import { SearchError } from './search-error';
import type { ZeroTolerance } from './zero-tolerance';

/**
 * k smallest (value, index) pairs per query, sorted, lexicographic order (ties → smaller index). References must be
 * offered to each query in increasing index order, which makes "equal value" mean "larger index, goes after".
 * Internal (the in-process search and the worker task share it).
 *
 * Why buffered: MAP@R needs k = R (the class size, ~1,000 on MNIST), where an insertion-sorted list costs O(k) per
 * accepted candidate (measured: 30 s for 5,000 × 5,000). Here each query keeps an unsorted buffer of 2k candidates
 * below its current threshold; when the buffer is full it is sorted once and cut back to the k best, which sets a
 * tighter threshold. A scan is then O(1) per candidate, plus O(k log k) per compaction, of which there are about
 * ln(n / k) + 1 per query. Memory stays O(nq · k).
 */
export class RunningTopK {
  /** Current k-th value per query (+∞ until the first compaction). */
  private readonly threshold: Float32Array;
  private readonly count: Int32Array;
  /** Per query: how many of its leading candidates are in order (the survivors of its last compaction). */
  private readonly sorted: Int32Array;
  private readonly scratchValues: Float32Array;
  private readonly scratchIndices: Int32Array;
  private readonly capacity: number;
  private readonly bufferValues: Float32Array;
  private readonly bufferIndices: Int32Array;
  private result: { indices: Int32Array; distances: Float32Array } | null = null;

  /**
   * @param selfOffset when not null, query q (0-based here) is reference q + selfOffset and never its own neighbour.
   * @param queryOffset added to q in error messages (a worker's share starts at this query of the whole search).
   */
  constructor(
    readonly numQueries: number,
    readonly k: number,
    private readonly selfOffset: number | null,
    private readonly queryOffset = 0,
  ) {
    this.capacity = 2 * k;
    this.threshold = new Float32Array(numQueries).fill(Number.POSITIVE_INFINITY);
    this.count = new Int32Array(numQueries);
    this.sorted = new Int32Array(numQueries);
    this.scratchValues = new Float32Array(this.capacity);
    this.scratchIndices = new Int32Array(this.capacity);
    this.bufferValues = new Float32Array(numQueries * this.capacity);
    this.bufferIndices = new Int32Array(numQueries * this.capacity);
  }

  /** Neighbour indices, nearest first, `numQueries × k` (−1 where fewer than k references exist). */
  get indices(): Int32Array {
    return this.finish().indices;
  }

  /** Divergences matching `indices` (+∞ where there is no neighbour). */
  get distances(): Float32Array {
    return this.finish().distances;
  }

  /**
   * values[a·br + b] = D for query q0 + a and reference r0 + b. With `zero`, values within its tolerance of 0 (or
   * below) count as exactly 0 (see `zero-tolerance`), decided before ranking so that exact ties keep index order.
   */
  scanRowsAreQueries(
    values: Float32Array,
    q0: number,
    bq: number,
    r0: number,
    br: number,
    zero: ZeroTolerance | null = null,
  ): void {
    if (zero !== null) {
      this.scanSnapped(values, q0, bq, r0, br, zero);
      return;
    }
    const thresholds = this.threshold;
    for (let a = 0; a < bq; a++) {
      const q = q0 + a;
      const row = a * br;
      // The threshold in a local: it only changes when a candidate is offered (this loop is most of a search's
      // JavaScript time: 4M comparisons per 1024 × 4096 block).
      let threshold = thresholds[q]!;
      for (let b = 0; b < br; b++) {
        const v = values[row + b]!;
        // `!(v >= threshold)` is true for NaN too, so NaN reaches `offer`, which reports it.
        if (!(v >= threshold)) {
          this.offer(q, r0 + b, v);
          threshold = thresholds[q]!;
        }
      }
    }
  }

  /** `scanRowsAreQueries` with the zero tolerance: a loop of its own, so the plain scan pays nothing for it. */
  private scanSnapped(values: Float32Array, q0: number, bq: number, r0: number, br: number, zero: ZeroTolerance): void {
    const thresholds = this.threshold;
    const { scale, queryNorms, referenceNorms } = zero;
    // The block's largest ‖r̃‖ bounds every row's tolerance: a value above it cannot snap, so almost every value
    // costs one comparison more than the plain scan (measured: a per-value product doubled the scan's time).
    let maxReferenceNorm = 0;
    for (let b = 0; b < br; b++) maxReferenceNorm = Math.max(maxReferenceNorm, referenceNorms[r0 + b]!);
    for (let a = 0; a < bq; a++) {
      const q = q0 + a;
      const row = a * br;
      const tq = scale * queryNorms[q]!;
      const rowTolerance = tq * maxReferenceNorm;
      let threshold = thresholds[q]!;
      for (let b = 0; b < br; b++) {
        let v = values[row + b]!;
        if (v >= threshold && v > rowTolerance) continue;
        // Same test as `snapToZero`. NaN fails every comparison: it stays NaN and `offer` reports it.
        if (v <= tq * referenceNorms[r0 + b]!) v = 0;
        if (!(v >= threshold)) {
          this.offer(q, r0 + b, v);
          threshold = thresholds[q]!;
        }
      }
    }
  }

  /** values[b·bq + a] = D for reference r0 + b and query q0 + a. */
  scanRowsAreReferences(values: Float32Array, q0: number, bq: number, r0: number, br: number): void {
    const thresholds = this.threshold;
    for (let b = 0; b < br; b++) {
      const row = b * bq;
      for (let a = 0; a < bq; a++) {
        const v = values[row + a]!;
        const q = q0 + a;
        if (!(v >= thresholds[q]!)) this.offer(q, r0 + b, v);
      }
    }
  }

  /** Adds (v, j) to query q's candidates (v is below the threshold, or NaN). */
  private offer(q: number, j: number, v: number): void {
    if (Number.isNaN(v)) {
      throw new SearchError(
        'exactKnn',
        'NON_FINITE',
        `expected finite divergences, got NaN for query ${q + this.queryOffset} and reference ${j}`,
      );
    }
    if (this.selfOffset !== null && j === q + this.selfOffset) return;
    this.result = null;
    const at = q * this.capacity + this.count[q]!;
    this.bufferValues[at] = v;
    this.bufferIndices[at] = j;
    this.count[q]!++;
    if (this.count[q] === this.capacity) this.compact(q);
  }

  /**
   * Sorts query q's candidates lexicographically and keeps the k best; returns how many remain. The first
   * `sorted[q]` candidates are already in order (the survivors of the last compaction): only the new ones are
   * sorted, then the two runs are merged into scratch memory. No allocation per call: on a first block, where every
   * query compacts several times, allocating index arrays took ~60 ms per 1024 × 4096 block against ~5 ms for the
   * scan itself.
   */
  private compact(q: number): number {
    const base = q * this.capacity;
    const n = this.count[q]!;
    const vals = this.bufferValues;
    const idx = this.bufferIndices;
    const mid = base + this.sorted[q]!;
    const end = base + n;
    sortCandidates(vals, idx, mid, end);
    const keep = Math.min(this.k, n);
    const outValues = this.scratchValues;
    const outIndices = this.scratchIndices;
    let i = base;
    let j = mid;
    for (let o = 0; o < keep; o++) {
      // Take from the first run unless the second run's head is strictly before it (value, then index).
      const fromFirst = j >= end || (i < mid && (vals[i]! < vals[j]! || (vals[i] === vals[j] && idx[i]! < idx[j]!)));
      const from = fromFirst ? i++ : j++;
      outValues[o] = vals[from]!;
      outIndices[o] = idx[from]!;
    }
    vals.set(outValues.subarray(0, keep), base);
    idx.set(outIndices.subarray(0, keep), base);
    this.count[q] = keep;
    this.sorted[q] = keep;
    // Only a full top k bounds what can still enter; a later equal value has a larger index and loses the tie.
    if (keep === this.k) this.threshold[q] = vals[base + keep - 1]!;
    return keep;
  }

  private finish(): { indices: Int32Array; distances: Float32Array } {
    if (this.result) return this.result;
    const indices = new Int32Array(this.numQueries * this.k).fill(-1);
    const distances = new Float32Array(this.numQueries * this.k).fill(Number.POSITIVE_INFINITY);
    for (let q = 0; q < this.numQueries; q++) {
      const keep = this.compact(q);
      indices.set(this.bufferIndices.subarray(q * this.capacity, q * this.capacity + keep), q * this.k);
      distances.set(this.bufferValues.subarray(q * this.capacity, q * this.capacity + keep), q * this.k);
    }
    this.result = { indices, distances };
    return this.result;
  }
}

/** Runs up to this length are insertion-sorted; longer ones are quicksorted down to it. */
const INSERTION_SORT_MAX = 24;

/** Whether candidate a goes before candidate b: smaller value, then smaller index. */
function before(vals: Float32Array, idx: Int32Array, a: number, b: number): boolean {
  return vals[a]! < vals[b]! || (vals[a] === vals[b] && idx[a]! < idx[b]!);
}

function swap(vals: Float32Array, idx: Int32Array, a: number, b: number): void {
  const v = vals[a]!;
  vals[a] = vals[b]!;
  vals[b] = v;
  const j = idx[a]!;
  idx[a] = idx[b]!;
  idx[b] = j;
}

/**
 * Sorts the candidates in [start, end) of the parallel arrays by value, then index, in place: quicksort (median of
 * three) down to short runs, then insertion sort. No allocation, unlike sorting an index array with a comparator.
 */
function sortCandidates(vals: Float32Array, idx: Int32Array, start: number, end: number): void {
  while (end - start > INSERTION_SORT_MAX) {
    const mid = start + ((end - start) >> 1);
    const last = end - 1;
    // Median of three: order start, mid, last; the median moves to last − 1 as the pivot, start and last are sentinels.
    if (before(vals, idx, mid, start)) swap(vals, idx, mid, start);
    if (before(vals, idx, last, start)) swap(vals, idx, last, start);
    if (before(vals, idx, last, mid)) swap(vals, idx, last, mid);
    swap(vals, idx, mid, last - 1);
    const pivot = last - 1;
    let i = start;
    let j = pivot;
    for (;;) {
      while (before(vals, idx, ++i, pivot));
      while (before(vals, idx, pivot, --j));
      if (i >= j) break;
      swap(vals, idx, i, j);
    }
    swap(vals, idx, i, pivot);
    // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
    if (i - start < end - i - 1) {
      sortCandidates(vals, idx, start, i);
      start = i + 1;
    } else {
      sortCandidates(vals, idx, i + 1, end);
      end = i;
    }
  }
  for (let a = start + 1; a < end; a++) {
    const v = vals[a]!;
    const j = idx[a]!;
    let b = a - 1;
    while (b >= start && (vals[b]! > v || (vals[b] === v && idx[b]! > j))) {
      vals[b + 1] = vals[b]!;
      idx[b + 1] = idx[b]!;
      b--;
    }
    vals[b + 1] = v;
    idx[b + 1] = j;
  }
}
