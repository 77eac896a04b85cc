import { type NamedArrayJSON, SeededRandom, isSeededRandom } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';
import { ConvexNetError } from './convex-net-error';
import { ensureGradients } from './ensure-gradients';
import { assignWeights, variableToJSON } from './weights-json';

/** Seed for weight initialisation: a number (or string) to start a new generator, or one to draw from. */
export type InitSeed = number | string | SeededRandom;

/** A `SeededRandom` from a seed option (default 0). A passed generator is advanced, not copied. */
export function toRandom(component: string, seed: InitSeed | undefined): SeededRandom {
  // A capability check, not instanceof: the generator may come from another copy of common (ESM vs CJS).
  if (isSeededRandom(seed)) return seed;
  if (seed === undefined) return new SeededRandom(0);
  if ((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string') return new SeededRandom(seed);
  throw new ConvexNetError(
    component,
    'INVALID_ARGUMENT',
    `expected seed to be a number, string or SeededRandom, got ${seed}`,
  );
}

/**
 * The named trainable variables of a learnable generator, in a fixed order: the names are the keys of
 * `toJSON().weights`. Owns the variables (`dispose` frees them).
 */
export class VariableSet {
  private readonly byName = new Map<string, tf.Variable>();
  private disposed = false;

  constructor(private readonly component: string) {
    // Every learnable generator owns one: its variables are only useful if they can be differentiated.
    ensureGradients();
  }

  /** Creates a trainable float32 variable holding `values` (row-major) with `shape`. */
  add(name: string, values: Float32Array, shape: number[]): tf.Variable {
    const v = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true));
    this.byName.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.byName.get(name);
    if (v === undefined || this.disposed) {
      throw new ConvexNetError(
        this.component,
        'NOT_FOUND',
        `expected a live variable '${name}', got ${v ? 'a disposed one' : 'none'}`,
      );
    }
    return v;
  }

  list(): tf.Variable[] {
    return [...this.byName.values()];
  }

  /** Current values by name, in the JSON form of `toJSON().weights` (synchronous read). */
  serialize(): Record<string, NamedArrayJSON> {
    const out: Record<string, NamedArrayJSON> = {};
    for (const [name, v] of this.byName) out[name] = variableToJSON(name, v);
    return out;
  }

  /** Loads saved values (all names required, shapes checked before anything is assigned). */
  load(weights: Readonly<Record<string, NamedArrayJSON>>): void {
    assignWeights(this.component, Object.fromEntries(this.byName), weights);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.byName.values()) v.dispose();
  }
}

/**
 * Loads saved weights into a freshly built learnable generator; if they do not fit (wrong names or shapes), frees
 * the generator's variables before rethrowing, so a failed `fromJSON` leaks nothing.
 */
export function withLoadedWeights<T extends { dispose(): void }>(
  phi: T,
  vars: VariableSet,
  weights: Readonly<Record<string, NamedArrayJSON>>,
): T {
  try {
    vars.load(weights);
  } catch (error) {
    phi.dispose();
    throw error;
  }
  return phi;
}
