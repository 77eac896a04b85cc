import type * as tf from '@tensorflow/tfjs-core';
import { ConvexNetError } from './convex-net-error';

/**
 * The set of inputs a generator (or a conjugate) accepts, coordinate-wise: the `domain` of every `ConvexFunction`
 * and `ConvexConjugate`.
 * - `'real'`: all of ℝ;
 * - `'positive'`: x > 0; `'nonnegative'`: x ≥ 0; `'negative'`: x < 0;
 * - `'unit-interval'`: 0 < x < 1.
 *
 * Generators use `'real'`, `'positive'` and `'nonnegative'`; `'negative'` and `'unit-interval'` occur as domains of
 * conjugates (Burg's entropy, the softplus sum).
 */
export type InputDomain = 'real' | 'positive' | 'nonnegative' | 'negative' | 'unit-interval';

const DOMAIN_TEXT: Record<InputDomain, string> = {
  real: 'finite real entries',
  positive: 'entries x > 0',
  nonnegative: 'entries x ≥ 0',
  negative: 'entries x < 0',
  'unit-interval': 'entries 0 < x < 1',
};

function inDomain(v: number, domain: InputDomain): boolean {
  switch (domain) {
    case 'real':
      return true;
    case 'positive':
      return v > 0;
    case 'nonnegative':
      return v >= 0;
    case 'negative':
      return v < 0;
    case 'unit-interval':
      return v > 0 && v < 1;
  }
}

/** Human text for a domain, e.g. "entries x > 0". */
export function describeDomain(domain: InputDomain): string {
  return DOMAIN_TEXT[domain];
}

/**
 * Checks that `x` is a float tensor of shape [n, dim] (always: cheap, no data read) and, when `validate` is true,
 * that every entry is finite and lies in `domain` (reads the data back from the backend, so training loops turn it
 * off). Throws a {@link ConvexNetError} naming `component`, what was expected and what was got.
 */
export function checkInput(
  component: string,
  x: tf.Tensor,
  dim: number,
  domain: InputDomain,
  validate: boolean,
  name = 'x',
): void {
  // Duck-typed, not `instanceof`: an app may load two copies of tfjs-core (ESM and CJS).
  const candidate = x as unknown as { shape?: unknown; dataSync?: unknown } | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    !Array.isArray(candidate.shape) ||
    typeof candidate.dataSync !== 'function'
  ) {
    throw new ConvexNetError(
      component,
      'INVALID_ARGUMENT',
      `expected ${name} to be a tf.Tensor2D of shape [n, ${dim}], got ${x === null ? 'null' : typeof x}`,
    );
  }
  if (x.rank !== 2 || x.shape[1] !== dim) {
    throw new ConvexNetError(
      component,
      'INVALID_SHAPE',
      `expected ${name} of shape [n, ${dim}], got a tensor of shape [${x.shape.join(', ')}]`,
    );
  }
  if (x.dtype !== 'float32') {
    throw new ConvexNetError(component, 'INVALID_ARGUMENT', `expected ${name} of dtype float32, got ${x.dtype}`);
  }
  if (!validate) return;
  const values = x.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const where = `at [${Math.floor(i / dim)}, ${i % dim}]`;
    if (!Number.isFinite(v)) {
      throw new ConvexNetError(component, 'NON_FINITE', `expected finite values in ${name}, got ${v} ${where}`);
    }
    if (!inDomain(v, domain)) {
      // float32 data: 7 significant digits say what the caller wrote (-0.1, not -0.10000000149011612).
      throw new ConvexNetError(
        component,
        'OUT_OF_DOMAIN',
        `expected ${name} with ${DOMAIN_TEXT[domain]}, got ${Number(v.toPrecision(7))} ${where}`,
      );
    }
  }
}

/** Throws unless `value` is a positive integer. */
export function checkDim(component: string, value: unknown, name = 'dim'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConvexNetError(component, 'INVALID_ARGUMENT', `expected ${name} to be a positive integer, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is a finite number satisfying `ok`. */
export function checkNumber(
  component: string,
  value: unknown,
  name: string,
  what: string,
  ok: (v: number) => boolean,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new ConvexNetError(component, 'INVALID_ARGUMENT', `expected ${name} ${what}, got ${value}`);
  }
  return value;
}
