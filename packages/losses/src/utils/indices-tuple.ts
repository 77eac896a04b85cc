import { isTensor } from '@empirical-bregman/bregman-core';
import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@empirical-bregman/common';
import { LossesError } from '../losses-error';

/**
 * Mined pairs, as in pytorch-metric-learning: positive pairs (a1[k], p[k]) and negative pairs (a2[k], n[k]).
 * Row indices a1, a2 refer to the embeddings (the anchor/query side), p, n to the reference set (the embeddings
 * themselves when no reference set is given). All int32 `Tensor1D`; empty tensors are legal.
 */
export interface PairIndices {
  readonly kind: 'pairs';
  readonly a1: tf.Tensor1D;
  readonly p: tf.Tensor1D;
  readonly a2: tf.Tensor1D;
  readonly n: tf.Tensor1D;
}

/** Mined triplets (a[k], p[k], n[k]): anchor row, positive and negative reference rows. Empty is legal. */
export interface TripletIndices {
  readonly kind: 'triplets';
  readonly a: tf.Tensor1D;
  readonly p: tf.Tensor1D;
  readonly n: tf.Tensor1D;
}

/** What miners return and losses accept. Losses convert pairs ↔ triplets themselves (with masks). */
export type IndicesTuple = PairIndices | TripletIndices;

function int32(values: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from(values), 'int32');
}

/** Builds a pair tuple from index arrays (the caller owns the tensors). */
export function pairIndices(
  a1: ArrayLike<number>,
  p: ArrayLike<number>,
  a2: ArrayLike<number>,
  n: ArrayLike<number>,
): PairIndices {
  if (a1.length !== p.length || a2.length !== n.length) {
    throw new LossesError(
      'pairIndices',
      'INVALID_SHAPE',
      `expected a1/p and a2/n of equal lengths, got ${a1.length}/${p.length} and ${a2.length}/${n.length}`,
    );
  }
  return { kind: 'pairs', a1: int32(a1), p: int32(p), a2: int32(a2), n: int32(n) };
}

/** Builds a triplet tuple from index arrays (the caller owns the tensors). */
export function tripletIndices(a: ArrayLike<number>, p: ArrayLike<number>, n: ArrayLike<number>): TripletIndices {
  if (a.length !== p.length || a.length !== n.length) {
    throw new LossesError(
      'tripletIndices',
      'INVALID_SHAPE',
      `expected a, p, n of equal lengths, got ${a.length}, ${p.length}, ${n.length}`,
    );
  }
  return { kind: 'triplets', a: int32(a), p: int32(p), n: int32(n) };
}

/** Disposes the tensors of a tuple. */
export function disposeIndices(tuple: IndicesTuple): void {
  if (tuple.kind === 'pairs') tf.dispose([tuple.a1, tuple.p, tuple.a2, tuple.n]);
  else tf.dispose([tuple.a, tuple.p, tuple.n]);
}

/** Number of pairs (positive + negative) or triplets in a tuple. */
export function indicesCount(tuple: IndicesTuple): number {
  return tuple.kind === 'pairs' ? tuple.a1.shape[0] + tuple.a2.shape[0] : tuple.a.shape[0];
}

/**
 * Every triplet (a, p, n) formed by a positive pair (a, p) and a negative pair (a, n) that share the anchor.
 * Reads the indices back (a conversion helper for inspection; losses convert with masks instead). The caller owns
 * the result.
 */
export function pairsToTriplets(tuple: PairIndices): TripletIndices {
  checkIndices('pairsToTriplets', tuple);
  const a1 = tuple.a1.dataSync();
  const p = tuple.p.dataSync();
  const a2 = tuple.a2.dataSync();
  const n = tuple.n.dataSync();
  const negativesByAnchor = new Map<number, number[]>();
  for (let k = 0; k < a2.length; k++) {
    const list = negativesByAnchor.get(a2[k] as number) ?? [];
    list.push(n[k] as number);
    negativesByAnchor.set(a2[k] as number, list);
  }
  const ta: number[] = [];
  const tp: number[] = [];
  const tn: number[] = [];
  for (let k = 0; k < a1.length; k++) {
    for (const neg of negativesByAnchor.get(a1[k] as number) ?? []) {
      ta.push(a1[k] as number);
      tp.push(p[k] as number);
      tn.push(neg);
    }
  }
  return tripletIndices(ta, tp, tn);
}

/**
 * The distinct positive pairs (a, p) and negative pairs (a, n) of a triplet tuple, in first-seen order. Reads the
 * indices back; the caller owns the result.
 */
export function tripletsToPairs(tuple: TripletIndices): PairIndices {
  checkIndices('tripletsToPairs', tuple);
  const a = tuple.a.dataSync();
  const p = tuple.p.dataSync();
  const n = tuple.n.dataSync();
  const seenP = new Set<string>();
  const seenN = new Set<string>();
  const a1: number[] = [];
  const pp: number[] = [];
  const a2: number[] = [];
  const nn: number[] = [];
  for (let k = 0; k < a.length; k++) {
    const kp = `${a[k]},${p[k]}`;
    if (!seenP.has(kp)) {
      seenP.add(kp);
      a1.push(a[k] as number);
      pp.push(p[k] as number);
    }
    const kn = `${a[k]},${n[k]}`;
    if (!seenN.has(kn)) {
      seenN.add(kn);
      a2.push(a[k] as number);
      nn.push(n[k] as number);
    }
  }
  return pairIndices(a1, pp, a2, nn);
}

function checkIndexTensor(component: string, name: string, t: unknown): number {
  if (!isTensor(t) || t.rank !== 1 || t.dtype !== 'int32') {
    throw new LossesError(
      component,
      'INVALID_ARGUMENT',
      `expected indicesTuple.${name} to be an int32 Tensor1D, got ${describeValue(t)}${isTensor(t) ? ` of dtype ${t.dtype}` : ''}`,
    );
  }
  return t.shape[0] as number;
}

/** Shape/dtype checks of a tuple at an API boundary (no data is read). */
export function checkIndices(component: string, tuple: unknown): IndicesTuple {
  const kind = (tuple as { kind?: unknown } | null)?.kind;
  if (kind === 'pairs') {
    const t = tuple as PairIndices;
    const l1 = checkIndexTensor(component, 'a1', t.a1);
    const lp = checkIndexTensor(component, 'p', t.p);
    const l2 = checkIndexTensor(component, 'a2', t.a2);
    const ln = checkIndexTensor(component, 'n', t.n);
    if (l1 !== lp || l2 !== ln) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected indicesTuple a1/p and a2/n of equal lengths, got ${l1}/${lp} and ${l2}/${ln}`,
      );
    }
    return t;
  }
  if (kind === 'triplets') {
    const t = tuple as TripletIndices;
    const la = checkIndexTensor(component, 'a', t.a);
    const lp = checkIndexTensor(component, 'p', t.p);
    const ln = checkIndexTensor(component, 'n', t.n);
    if (la !== lp || la !== ln) {
      throw new LossesError(
        component,
        'INVALID_SHAPE',
        `expected indicesTuple a, p, n of equal lengths, got ${la}, ${lp}, ${ln}`,
      );
    }
    return t;
  }
  throw new LossesError(
    component,
    'INVALID_ARGUMENT',
    `expected an indices tuple ({ kind: 'pairs', a1, p, a2, n } or { kind: 'triplets', a, p, n }), got ${describeValue(tuple)}`,
  );
}
