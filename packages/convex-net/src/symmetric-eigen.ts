/**
 * Eigen-decomposition of a real symmetric matrix A = V diag(λ) Vᵀ in float64 by the cyclic Jacobi method
 * (Golub & Van Loan, "Matrix Computations", §8.5). Used once at construction (PSD check and the inverse for the
 * conjugate of `Quadratic`), so O(d³) per sweep is fine for embedding sizes.
 *
 * @param matrix row-major symmetric d×d matrix (only read).
 * @returns eigenvalues λ (length d) and eigenvectors as columns of V (row-major d×d).
 */
export function symmetricEigen(matrix: readonly (readonly number[])[]): {
  values: Float64Array;
  vectors: Float64Array;
} {
  const d = matrix.length;
  const a = new Float64Array(d * d);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) a[i * d + j] = matrix[i][j];
    v[i * d + i] = 1;
  }
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // A ← A J (columns p, q)
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          // A ← Jᵀ A (rows p, q)
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}
