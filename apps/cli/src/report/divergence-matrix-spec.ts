import type { TopLevelSpec } from 'vega-lite';
import type { DivergenceMatrix } from './report-data';
import { ReportError } from './report-error';

/** The largest matrix side drawn: bigger samples are thinned evenly (keeping the class order), 80² cells at most. */
export const MAX_MATRIX_SIDE = 80;

/**
 * Vega-Lite spec of a divergence matrix as a heat map: cell (i, j) is D(aᵢ, aⱼ) (row = left slot), rows and columns
 * sorted by class (stable), white lines between class blocks, class names at the block centres. The colour scale
 * is clipped at the 98th percentile so that a few outliers do not wash out the block structure.
 */
export function divergenceMatrixSpec(matrix: DivergenceMatrix, maxSide = MAX_MATRIX_SIDE): TopLevelSpec {
  const n = matrix.labels.length;
  if (matrix.values.length !== n || matrix.values.some((row) => row.length !== n)) {
    throw new ReportError(
      'divergenceMatrixSpec',
      'INVALID_SHAPE',
      `expected a ${n}×${n} matrix (one row and column per label), got ${matrix.values.length} rows of lengths ` +
        `${[...new Set(matrix.values.map((r) => r.length))].join(', ')}`,
    );
  }
  const order = [...Array(n).keys()].sort((a, b) => matrix.labels[a] - matrix.labels[b] || a - b);
  const m = Math.min(n, maxSide);
  const kept = Array.from({ length: m }, (_, i) => order[Math.floor((i * n) / m)]);
  const values: { i: number; j: number; value: number }[] = [];
  const finite: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const v = matrix.values[kept[i]][kept[j]];
      if (Number.isFinite(v)) {
        values.push({ i, j, value: v });
        finite.push(v);
      }
    }
  }
  finite.sort((a, b) => a - b);
  const low = finite.length > 0 ? finite[0] : 0;
  const high = finite.length > 0 ? finite[Math.min(finite.length - 1, Math.floor(0.98 * (finite.length - 1)))] : 1;
  // Class blocks: boundaries between runs of equal labels and the centre of each run.
  const boundaries: { at: number }[] = [];
  const centres: { at: number; label: string }[] = [];
  let start = 0;
  for (let i = 1; i <= m; i++) {
    if (i === m || matrix.labels[kept[i]] !== matrix.labels[kept[start]]) {
      centres.push({ at: (start + i) / 2, label: String(matrix.labels[kept[start]]) });
      if (i < m) boundaries.push({ at: i });
      start = i;
    }
  }
  const labelExpr =
    centres.length <= 30
      ? centres.reduceRight((acc, c) => `abs(datum.value - ${c.at}) < 1e-9 ? '${c.label}' : ${acc}`, "''")
      : "''";
  const axis = { values: centres.map((c) => c.at), labelExpr, grid: false, ticks: false, domain: false };
  const scale = { domain: [0, m], nice: false, zero: false };
  const rule = { type: 'rule' as const, color: 'white', strokeWidth: 1 };
  return {
    width: 380,
    height: 380,
    layer: [
      {
        data: { values },
        mark: { type: 'rect', aria: false },
        transform: [
          { calculate: 'datum.i + 1', as: 'i2' },
          { calculate: 'datum.j + 1', as: 'j2' },
        ],
        encoding: {
          x: { field: 'j', type: 'quantitative', scale, axis: { ...axis, title: 'right slot (by class)' } },
          x2: { field: 'j2' },
          y: {
            field: 'i',
            type: 'quantitative',
            scale: { ...scale, reverse: true },
            axis: { ...axis, title: 'left slot (by class)' },
          },
          y2: { field: 'i2' },
          color: {
            field: 'value',
            type: 'quantitative',
            title: 'D(row, col)',
            scale: { scheme: 'viridis', domain: [low, high > low ? high : low + 1], clamp: true },
          },
        },
      },
      { data: { values: boundaries }, mark: rule, encoding: { x: { field: 'at', type: 'quantitative' } } },
      { data: { values: boundaries }, mark: rule, encoding: { y: { field: 'at', type: 'quantitative' } } },
    ],
  };
}
