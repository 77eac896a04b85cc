import type { TopLevelSpec } from 'vega-lite';
import type { PhiSurface } from './report-data';
import { ReportError } from './report-error';

/** Cell edges around grid points: midpoints between neighbours, half a step beyond the ends. */
function edges(points: readonly number[]): [number, number][] {
  const n = points.length;
  return points.map((p, i) => {
    const left = i > 0 ? (points[i - 1] + p) / 2 : n > 1 ? p - (points[1] - p) / 2 : p - 0.5;
    const right = i < n - 1 ? (p + points[i + 1]) / 2 : n > 1 ? p + (p - points[n - 2]) / 2 : p + 0.5;
    return [left, right];
  });
}

/**
 * Vega-Lite spec of the learned generator φ on a 2-D grid as a filled contour map: each grid cell is coloured by
 * φ(x₁, x₂) with a 12-band quantised viridis scale, so the bands read as level sets of φ.
 */
export function phiSurfaceSpec(surface: PhiSurface): TopLevelSpec {
  const { xs, ys, values } = surface;
  if (values.length !== ys.length || values.some((row) => row.length !== xs.length)) {
    throw new ReportError(
      'phiSurfaceSpec',
      'INVALID_SHAPE',
      `expected values[iy][ix] with ${ys.length} rows of ${xs.length}, got ${values.length} rows`,
    );
  }
  const ex = edges(xs);
  const ey = edges(ys);
  const cells = [];
  for (let iy = 0; iy < ys.length; iy++) {
    for (let ix = 0; ix < xs.length; ix++) {
      const v = values[iy][ix];
      if (Number.isFinite(v)) cells.push({ x: ex[ix][0], x2: ex[ix][1], y: ey[iy][0], y2: ey[iy][1], phi: v });
    }
  }
  const scale = { zero: false, nice: false };
  return {
    width: 380,
    height: 380,
    data: { values: cells },
    mark: { type: 'rect', aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'x₁', scale },
      x2: { field: 'x2' },
      y: { field: 'y', type: 'quantitative', title: 'x₂', scale },
      y2: { field: 'y2' },
      color: { field: 'phi', type: 'quantitative', title: 'φ(x)', scale: { type: 'quantize', scheme: 'viridis' } },
    },
  };
}
