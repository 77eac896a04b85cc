import { EmpiricalBregmanError } from './errors';

/** The complete state of a {@link SeededRandom}: JSON-serialisable, saved with checkpoints so a resumed run draws
 * exactly the numbers an uninterrupted one would. */
export interface SeededRandomState {
  readonly algorithm: 'sfc32';
  readonly words: readonly [number, number, number, number];
  /** The second normal deviate of the last Box–Muller pair, if not yet used. */
  readonly spareNormal: number | null;
}

/** SplitMix32: spreads a 32-bit seed over the four state words (sfc32 needs well-mixed, non-zero state). */
function splitMix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a, to turn a string label into a 32-bit seed (for named sub-streams). */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const BRAND = Symbol.for('empirical-bregman.seeded-random');

/**
 * A small, fast, seedable pseudo-random generator (sfc32, Chris Doty-Humphrey's "small fast counting" generator,
 * which passes PractRand and BigCrush) whose whole state can be saved and restored.
 *
 * Why not `Math.random`: runs must be reproducible from a seed and resumable after a crash, so every draw in the
 * project (splits, samplers, augmentation, weight initialisation, k-means++ seeding) comes from one of these.
 *
 * ```ts
 * const rng = new SeededRandom(42);
 * const order = rng.permutation(10);
 * const saved = rng.getState();          // store with the checkpoint
 * const resumed = SeededRandom.fromState(saved);
 * resumed.next() === rng.next();         // true
 * ```
 */
export class SeededRandom {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spare: number | null = null;

  /** @param seed any finite number (its low 32 bits are used) or a string. */
  constructor(seed: number | string = 0) {
    let s: number;
    if (typeof seed === 'string') s = hashString(seed);
    else if (Number.isFinite(seed)) s = Math.trunc(seed) >>> 0;
    else throw new EmpiricalBregmanError('SeededRandom', 'INVALID_ARGUMENT', `expected a finite seed, got ${seed}`);
    // Marks the generator for isSeededRandom (a global symbol: the same in every copy of this package).
    Object.defineProperty(this, BRAND, { value: true });
    const mix = splitMix32(s);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    // Discard the first outputs: the state words are correlated right after seeding.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  static fromState(state: SeededRandomState): SeededRandom {
    const rng = new SeededRandom(0);
    rng.setState(state);
    return rng;
  }

  getState(): SeededRandomState {
    return { algorithm: 'sfc32', words: [this.a, this.b, this.c, this.d], spareNormal: this.spare };
  }

  setState(state: SeededRandomState): void {
    const words = state?.words;
    if (
      state?.algorithm !== 'sfc32' ||
      !Array.isArray(words) ||
      words.length !== 4 ||
      !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)
    ) {
      throw new EmpiricalBregmanError(
        'SeededRandom.setState',
        'INVALID_ARGUMENT',
        `expected a state saved by getState() ({ algorithm: 'sfc32', words: four uint32 }), got ${JSON.stringify(state)}`,
      );
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    this.spare = typeof state.spareNormal === 'number' ? state.spareNormal : null;
  }

  /** An independent generator for a named purpose, derived from (and advancing) this one. */
  fork(label = ''): SeededRandom {
    return new SeededRandom((this.nextUint32() ^ hashString(label)) >>> 0);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform float in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** A uniform integer in [0, n) without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new EmpiricalBregmanError(
        'SeededRandom.int',
        'INVALID_ARGUMENT',
        `expected an integer n in [1, 2^32], got ${n}`,
      );
    }
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A standard normal deviate (Box–Muller; the spare deviate is part of the saved state). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  shuffle<A extends { length: number; [i: number]: number }>(items: A): A;
  shuffle(items: { length: number; [i: number]: unknown }): unknown {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n−1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** `k` distinct integers from [0, n), in random order. */
  sample(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new EmpiricalBregmanError(
        'SeededRandom.sample',
        'INVALID_ARGUMENT',
        `expected 0 <= k <= n = ${n}, got k = ${k}`,
      );
    }
    // Partial Fisher–Yates over a sparse map: O(k) memory even for large n.
    const swapped = new Map<number, number>();
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const vj = swapped.get(j) ?? j;
      const vi = swapped.get(i) ?? i;
      out[i] = vj;
      swapped.set(j, vi);
    }
    return out;
  }

  /** A Float32Array of normal deviates (weight initialisation). */
  normalArray(length: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = this.normal(mean, std);
    return out;
  }
}

/**
 * True for a {@link SeededRandom}, also one made by another copy of this package (an application may load the ESM
 * and the CJS build, and `instanceof` tells their classes apart): the check is by a global symbol, like
 * `isEmpiricalBregmanError`. Use it wherever an option accepts "a seed or a generator".
 *
 * ```ts
 * const rng = isSeededRandom(seed) ? seed : new SeededRandom(seed ?? 0);
 * ```
 */
export function isSeededRandom(value: unknown): value is SeededRandom {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
