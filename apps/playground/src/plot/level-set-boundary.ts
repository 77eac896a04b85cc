/**
 * The boundary of the sublevel set {x : v(x) ≤ r} on a grid: the cells inside the set that have a 4-neighbour outside
 * it (or lie on the grid's edge). `values` is row-major, `size × size`. Cheaper than marching squares and exact to the
 * grid's resolution, which is what a ball drawn in pixels needs.
 *
 * ```ts
 * levelSetBoundary(Float32Array.of(0, 1, 1, 1), 2, 0.5); // [0]: only the cell with v = 0 is inside, on the edge
 * ```
 */
export function levelSetBoundary(values: Float32Array, size: number, r: number): number[] {
  const inside = (i: number, j: number): boolean =>
    i >= 0 && j >= 0 && i < size && j < size && values[i * size + j]! <= r;
  const boundary: number[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (!inside(i, j)) continue;
      if (!inside(i - 1, j) || !inside(i + 1, j) || !inside(i, j - 1) || !inside(i, j + 1)) boundary.push(i * size + j);
    }
  }
  return boundary;
}

/**
 * The q-quantile of `values` (0 ≤ q ≤ 1), by sorting a copy and taking the element at ⌊q·(n − 1)⌋: the radius that puts
 * a fraction q of the points inside a ball (ties included).
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error(`quantile: expected at least one value, got none`);
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(Math.min(1, Math.max(0, q)) * (sorted.length - 1))]!;
}
