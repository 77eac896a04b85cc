import type { TopLevelSpec } from 'vega-lite';
import type { CalibrationReport } from './report-data';

/**
 * The reliability diagram: each confidence bin's accuracy against its mean confidence (points sized by count), with
 * the diagonal a perfectly calibrated model would follow.
 */
export function reliabilitySpec(calibration: CalibrationReport): TopLevelSpec {
  const bins = calibration.reliability
    .filter((b) => b.count > 0)
    .map((b) => ({ confidence: b.confidence, accuracy: b.accuracy, count: b.count }));
  return {
    title: `Reliability (τ = ${calibration.temperature.toPrecision(3)})`,
    width: 300,
    height: 300,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999' },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'confidence', scale: { domain: [0, 1] } },
          y: { field: 'y', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
        },
      },
      {
        data: { values: bins },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: { field: 'confidence', type: 'quantitative' },
          y: { field: 'accuracy', type: 'quantitative' },
          size: { field: 'count', type: 'quantitative', title: 'items' },
        },
      },
    ],
  };
}

/** The risk–coverage curve: error rate among the most confident fraction the model answers. */
export function riskCoverageSpec(calibration: CalibrationReport): TopLevelSpec {
  return {
    title: 'Risk–coverage (abstaining on the least confident)',
    width: 300,
    height: 300,
    data: { values: calibration.riskCoverage.map((p) => ({ coverage: p.coverage, risk: p.risk })) },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'coverage', type: 'quantitative', title: 'coverage', scale: { domain: [0, 1] } },
      y: { field: 'risk', type: 'quantitative', title: 'error rate' },
    },
  };
}
