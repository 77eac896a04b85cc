/** Labels as class indices, and the class names they stand for. */
export interface ClassIndex {
  /** One label per sample, in [0, classNames.length). */
  readonly labels: Int32Array;
  /** The distinct raw labels, sorted (index = label). */
  readonly classNames: readonly string[];
}

const INTEGER = /^[+-]?\d+$/;

/**
 * Maps raw labels (strings as read from a file) to 0..C−1. The class names are the distinct labels sorted: by value
 * when every label is an integer (so `'2'` comes before `'10'`, and `'07'` and `'7'` are one class, named `'7'`),
 * otherwise by UTF-16 code units (not by locale: the order, and so the label of each class, must not depend on the
 * machine that trains).
 *
 * ```ts
 * indexClasses(['10', '2', '10']); // { labels: Int32Array [1, 0, 1], classNames: ['2', '10'] }
 * indexClasses(['dog', 'cat']);    // { labels: Int32Array [1, 0], classNames: ['cat', 'dog'] }
 * ```
 */
export function indexClasses(raw: readonly string[]): ClassIndex {
  const numeric = raw.length > 0 && raw.every((r) => INTEGER.test(r));
  // BigInt: integer labels beyond 2^53 (int64 ids) stay distinct.
  const keys = numeric ? raw.map((r) => BigInt(r).toString()) : raw;
  const distinct = [...new Set(keys)];
  if (numeric) distinct.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  else distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((name, i) => [name, i]));
  const labels = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) labels[i] = index.get(keys[i])!;
  return { labels, classNames: distinct };
}
