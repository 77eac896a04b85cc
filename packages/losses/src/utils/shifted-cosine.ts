import * as tf from '@tensorflow/tfjs-core';
import { safePow } from './safe-pow';

/**
 * cos(θ + m) from c = cos θ, θ ∈ [0, π] (internal; ArcFace's and SubCenterArcFace's cos(θ + m), TupletMargin's
 * cos(θ − m) with m < 0): c·cos m − sin θ·sin m, sin θ = √(1 − c²) ≥ 0. No arccos, whose derivative is infinite at
 * c = ±1, and `safePow` keeps the gradient finite (0) where sin θ = 0 (a sample on its class weight, two coincident
 * unit vectors). Values of c slightly outside [−1, 1] (round-off) give sin θ = 0.
 */
export function shiftedCosine(cos: tf.Tensor, m: number): tf.Tensor {
  const sin = safePow(tf.sub(1, tf.square(cos)), 0.5);
  return tf.sub(tf.mul(cos, Math.cos(m)), tf.mul(sin, Math.sin(m)));
}
