import { DatasetError } from '../dataset-error';

/**
 * Draws pen strokes into a grey `size × size` image (row-major, values in [0, 1], 0 = background): each stroke is a
 * polyline `[x0, y0, x1, y1, …]` in pixel units (x to the right, y down; pixel (row r, column c) covers
 * [c, c + 1) × [r, r + 1), so its centre is (c + ½, r + ½)), drawn with a round pen of radius `radius`, i.e. round
 * caps and joins. A one-point stroke is a dot.
 *
 * Anti-aliasing: a pixel whose centre lies at distance d from the nearest stroke gets coverage
 * clamp(radius + ½ − d, 0, 1) — a one-pixel linear ramp across the pen's edge, which integrates exactly to the area
 * covered for straight edges. Strokes combine by maximum (ink on ink stays 1), so overlapping strokes and the
 * overlapping segments of one stroke do not darken their joins.
 *
 * Cost: each segment visits only the pixels of its bounding box grown by radius + 1, so a 28 × 28 character of
 * ~60 segments takes tens of microseconds (measured through {@link loadHanzi}: 4,000 images at 28 × 28 in 0.15 s).
 *
 * ```ts
 * const image = renderStrokes([Float32Array.of(2, 4.5, 8, 4.5)], 1, 10); // a bar across row 4
 * image[4 * 10 + 5]; // 1; rows 3 and 5 get ½
 * ```
 */
export function renderStrokes(
  strokes: readonly ArrayLike<number>[],
  radius: number,
  size: number,
  target: Float32Array = new Float32Array(size * size),
): Float32Array {
  const component = 'renderStrokes';
  if (!Number.isInteger(size) || size < 1) {
    throw new DatasetError(
      component,
      'INVALID_ARGUMENT',
      `expected an image size that is a positive integer, got ${size}`,
    );
  }
  if (!(radius > 0 && Number.isFinite(radius))) {
    throw new DatasetError(component, 'INVALID_ARGUMENT', `expected a finite pen radius > 0, got ${radius}`);
  }
  if (target.length !== size * size) {
    throw new DatasetError(
      component,
      'INVALID_SHAPE',
      `expected a target of ${size * size} pixels, got ${target.length}`,
    );
  }
  const reach = radius + 0.5;
  for (const [s, points] of strokes.entries()) {
    if (points.length < 2 || points.length % 2 !== 0) {
      throw new DatasetError(
        component,
        'INVALID_SHAPE',
        `expected stroke ${s} as [x0, y0, x1, y1, …] with at least one point, got ${points.length} numbers`,
      );
    }
    // A one-point stroke is a zero-length segment: a dot of the pen's radius.
    const last = points.length === 2 ? 0 : points.length - 4;
    for (let k = 0; k <= last; k += 2) {
      const ax = points[k]!;
      const ay = points[k + 1]!;
      const bx = points.length === 2 ? ax : points[k + 2]!;
      const by = points.length === 2 ? ay : points[k + 3]!;
      const dx = bx - ax;
      const dy = by - ay;
      const lengthSquared = dx * dx + dy * dy;
      // Pixels whose centre can be within radius + ½ of the segment.
      const c0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
      const c1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx) + reach));
      const r0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
      const r1 = Math.min(size - 1, Math.ceil(Math.max(ay, by) + reach));
      for (let r = r0; r <= r1; r++) {
        const py = r + 0.5 - ay;
        const row = r * size;
        for (let c = c0; c <= c1; c++) {
          const px = c + 0.5 - ax;
          // Distance to the segment: project onto it, clamped to its ends (the round caps).
          const t = lengthSquared > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSquared)) : 0;
          const ex = px - t * dx;
          const ey = py - t * dy;
          const coverage = reach - Math.sqrt(ex * ex + ey * ey);
          if (coverage <= 0) continue;
          const value = Math.min(coverage, 1);
          if (value > target[row + c]!) target[row + c] = value;
        }
      }
    }
  }
  return target;
}
