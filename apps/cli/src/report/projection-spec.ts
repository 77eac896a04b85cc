import type { TopLevelSpec } from 'vega-lite';
import type { Projection2D } from './report-data';
import { ReportError } from './report-error';

/** Vega-Lite spec of a 2-D projection: one dot per embedding, coloured by class. */
export function projectionSpec(projection: Projection2D): TopLevelSpec {
  const { x, y, labels } = projection;
  if (x.length !== y.length || x.length !== labels.length) {
    throw new ReportError(
      'projectionSpec',
      'INVALID_SHAPE',
      `expected x, y and labels of equal length, got ${x.length}, ${y.length} and ${labels.length}`,
    );
  }
  const values = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) values.push({ x: x[i], y: y[i], class: String(labels[i]) });
  }
  const classes = new Set(labels).size;
  return {
    width: 380,
    height: 380,
    data: { values },
    mark: { type: 'circle', size: 22, opacity: 0.8, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'UMAP 1', scale: { zero: false }, axis: { labels: false } },
      y: { field: 'y', type: 'quantitative', title: 'UMAP 2', scale: { zero: false }, axis: { labels: false } },
      color: {
        field: 'class',
        type: 'nominal',
        title: 'class',
        sort: [...new Set(labels)].sort((a, b) => a - b).map(String),
        scale: { scheme: classes > 10 ? 'category20' : 'tableau10' },
      },
    },
  };
}
