/** The element types of a {@link NamedArray}: tfjs's `float32` (the default) and `int32`. */
export type NamedArrayDType = 'float32' | 'int32';

interface NamedArrayBase {
  /** What the array is, e.g. a variable's name (`'A0'`) or an optimizer weight's (`'dense/kernel/m'`). */
  readonly name: string;
  /** Row-major shape; `[]` for a scalar. `values.length` is the product of its entries. */
  readonly shape: number[];
}

/**
 * A tensor's data outside tfjs: a name, a shape, an element type and the values, row-major, in a typed array. The
 * one type the packages use for "named float arrays": a model's variables, an optimizer's state, a data-parallel
 * replica's weights, a checkpoint's arrays. Plain data: it crosses worker threads (structured clone) as is; its JSON
 * form is {@link NamedArrayJSON} (typed arrays do not survive `JSON.stringify`).
 *
 * `NamedArray` is either case; `NamedArray<'float32'>` and `NamedArray<'int32'>` are one case each:
 * - float32: `values` is a `Float32Array`, `dtype` is `'float32'` or omitted (float32 is the default, as in tfjs);
 * - int32: `dtype` is `'int32'` and `values` an `Int32Array` (e.g. an optimizer's iteration count).
 *
 * ```ts
 * const w: NamedArray = { name: 'w', shape: [2, 2], values: Float32Array.of(1, 0, 0, 1) };
 * const step: NamedArray = { name: 'iter', shape: [], dtype: 'int32', values: Int32Array.of(12) };
 * const tensor = tf.tensor(w.values, w.shape, w.dtype ?? 'float32');
 * ```
 */
export type NamedArray<D extends NamedArrayDType = NamedArrayDType> = D extends 'int32'
  ? NamedArrayBase & { readonly dtype: 'int32'; readonly values: Int32Array }
  : NamedArrayBase & { readonly dtype?: 'float32'; readonly values: Float32Array };
