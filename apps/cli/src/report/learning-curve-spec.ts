import type { TopLevelSpec } from 'vega-lite';
import { metricLabel } from './metric-names';
import type { CurvePoint } from './report-data';

/**
 * Vega-Lite spec of one split's learning curves (train loss, or validation metrics), one coloured line per metric
 * against the epoch; when a metric was logged more than once per epoch the x axis is the optimiser step instead.
 * Non-finite values are left out. Returns null when the split has no finite point.
 */
export function learningCurveSpec(curves: readonly CurvePoint[], split: 'train' | 'val'): TopLevelSpec | null {
  const points = curves.filter((p) => p.split === split && Number.isFinite(p.value));
  if (points.length === 0) return null;
  const perEpoch = new Set(points.map((p) => `${p.metric}\u0000${p.epoch}`));
  const byStep = perEpoch.size < points.length;
  const values = points.map((p) => ({ x: byStep ? p.step : p.epoch, value: p.value, metric: metricLabel(p.metric) }));
  return {
    title: split === 'train' ? 'Training' : 'Validation',
    width: 380,
    height: 240,
    data: { values },
    mark: { type: 'line', point: { size: 30 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: byStep ? 'step' : 'epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: split === 'train' ? 'value' : 'metric',
        scale: { zero: false },
      },
      color: { field: 'metric', type: 'nominal', title: null, scale: { scheme: 'tableau10' } },
    },
  };
}
