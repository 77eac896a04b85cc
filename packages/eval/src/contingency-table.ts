import { checkLabels } from './check-labels';

/** The contingency table of two labelings of the same N items. Internal. */
export interface ContingencyTable {
  /** N. */
  readonly n: number;
  /** Row sums aᵢ (sizes of the classes of the first labeling). */
  readonly rows: Float64Array;
  /** Column sums bⱼ (sizes of the clusters of the second labeling). */
  readonly cols: Float64Array;
  /** Non-zero cells: (row, col, nᵢⱼ). */
  readonly cells: ReadonlyArray<readonly [number, number, number]>;
}

/** Builds the contingency table nᵢⱼ = #{items with label i and cluster j}. */
export function contingencyTable(component: string, labels: Int32Array, clusters: Int32Array): ContingencyTable {
  checkLabels(component, 'labels', labels);
  checkLabels(component, 'clusters', clusters, labels.length);
  const rowIds = new Map<number, number>();
  const colIds = new Map<number, number>();
  const cellCounts = new Map<string, [number, number, number]>();
  for (let t = 0; t < labels.length; t++) {
    const i = idOf(rowIds, labels[t]);
    const j = idOf(colIds, clusters[t]);
    const key = `${i},${j}`;
    const cell = cellCounts.get(key);
    if (cell) cell[2]++;
    else cellCounts.set(key, [i, j, 1]);
  }
  const rows = new Float64Array(rowIds.size);
  const cols = new Float64Array(colIds.size);
  for (const [i, j, c] of cellCounts.values()) {
    rows[i] += c;
    cols[j] += c;
  }
  return { n: labels.length, rows, cols, cells: [...cellCounts.values()] };
}

/** The dense id of `value`, assigned in order of first appearance. */
function idOf(ids: Map<number, number>, value: number): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ids.size;
    ids.set(value, id);
  }
  return id;
}

/** C(x, 2) = x(x − 1)/2. */
export function pairs(x: number): number {
  return (x * (x - 1)) / 2;
}
