/**
 * The first two principal components of `rows` (n × d, row-major): each row centred and projected on the top two
 * eigenvectors of the covariance, found by power iteration (the second after deflating the first). Enough for a
 * picture of embeddings with d ≈ 16; returns n × 2, row-major.
 *
 * ```ts
 * pca2d(Float32Array.of(1, 0, -1, 0), 2, 2); // ≈ [±1, 0, ∓1, 0]: all the spread is along the first axis
 * ```
 */
export function pca2d(rows: Float32Array, n: number, d: number): Float32Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = rows[i * d + a]! - mean[a]!;
      for (let b = 0; b < d; b++) cov[a * d + b]! += (xa * (rows[i * d + b]! - mean[b]!)) / n;
    }
  }
  const components: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: d }, (_, j) => 1 + 0.1 * j); // not orthogonal to any axis in practice
    let lambda = 0;
    for (let iteration = 0; iteration < 200; iteration++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) w[a]! += cov[a * d + b]! * v[b]!;
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    components.push(v);
    // Deflate: remove the found direction so the next power iteration finds the second.
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b]! -= lambda * v[a]! * v[b]!;
  }
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (rows[i * d + j]! - mean[j]!) * components[c]![j]!;
      out[2 * i + c] = s;
    }
  }
  return out;
}
