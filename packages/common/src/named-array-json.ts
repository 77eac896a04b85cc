import { EmpiricalBregmanError, type ErrorCode, describeValue } from './errors';
import type { NamedArray } from './named-array';

/**
 * The JSON encoding of a {@link NamedArray}: the same shape and values, the values as plain numbers (float32 values
 * written as the JS numbers they are, so they read back bit for bit). The name is not part of it: JSON documents
 * keep named arrays in a record keyed by name, e.g. a convex function's `weights` in `toJSON()`. `dtype` is omitted
 * for float32, which is exactly the `{ shape, values }` form saved models have always used.
 */
export interface NamedArrayJSON {
  readonly shape: number[];
  /** `'int32'` for integer arrays; omitted (or `'float32'`) for float32. */
  readonly dtype?: 'float32' | 'int32';
  readonly values: number[];
}

/**
 * `array` as JSON (drops the name, see {@link NamedArrayJSON}).
 *
 * ```ts
 * const json = { weights: { w: namedArrayToJSON(w) } }; // { weights: { w: { shape: [2, 2], values: [1, 0, 0, 1] } } }
 * ```
 */
export function namedArrayToJSON(array: NamedArray): NamedArrayJSON {
  const values = Array.from(array.values);
  return array.dtype === 'int32'
    ? { shape: [...array.shape], dtype: 'int32', values }
    : { shape: [...array.shape], values };
}

/** Who reads the JSON, for its errors. */
export interface NamedArrayFromJSONOptions {
  /** The public function or class reading it, e.g. `'IcnnConvexFunction.fromJSON'` (default `'namedArrayFromJSON'`). */
  readonly component?: string;
  /** The reader's own error class (default `EmpiricalBregmanError`), so the error belongs to the reader's package. */
  readonly errorClass?: new (
    component: string,
    code: ErrorCode,
    message: string,
  ) => EmpiricalBregmanError;
}

/**
 * Reads the JSON form back into the array called `name`, checking it first: a shape of non-negative integers, as
 * many finite values as the shape holds (integers in the int32 range for `'int32'`). Otherwise throws a `BAD_FORMAT`
 * error of `options.errorClass`, naming `options.component` and the array.
 *
 * ```ts
 * const w = namedArrayFromJSON(json.weights.w, 'w', { component: 'MyModel.fromJSON' });
 * // { name: 'w', shape: [2, 2], values: Float32Array [1, 0, 0, 1] }
 * ```
 */
export function namedArrayFromJSON(json: unknown, name: string, options: NamedArrayFromJSONOptions = {}): NamedArray {
  const { component = 'namedArrayFromJSON', errorClass = EmpiricalBregmanError } = options;
  const fail = (what: string): never => {
    throw new errorClass(component, 'BAD_FORMAT', `expected '${name}' as ${what}`);
  };
  const data = json as Partial<Record<keyof NamedArrayJSON, unknown>> | null;
  if (typeof data !== 'object' || data === null || !Array.isArray(data.shape) || !Array.isArray(data.values)) {
    const got =
      data === undefined
        ? 'none'
        : typeof data === 'object' && data !== null
          ? `an object with keys [${Object.keys(data).join(', ')}]`
          : describeValue(data);
    return fail(`{ shape: number[], values: number[] }, got ${got}`);
  }
  const shape = data.shape as unknown[];
  const values = data.values as unknown[];
  if (!shape.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
    return fail(`a shape of non-negative integers, got [${shape.map((n) => describeValue(n)).join(', ')}]`);
  }
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    return fail(`shape [${shape.join(', ')}] with ${size} values, got ${values.length}`);
  }
  const dtype = data.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') {
    return fail(`dtype 'float32' or 'int32', got ${describeValue(dtype)}`);
  }
  const bad = values.findIndex((v) =>
    dtype === 'int32'
      ? !(typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)
      : !(typeof v === 'number' && Number.isFinite(v)),
  );
  if (bad >= 0) {
    const kind = dtype === 'int32' ? '32-bit integers' : 'finite numbers';
    return fail(`${kind}, got ${describeValue(values[bad])} at index ${bad}`);
  }
  return dtype === 'int32'
    ? { name, shape: [...(shape as number[])], dtype, values: Int32Array.from(values as number[]) }
    : { name, shape: [...(shape as number[])], values: Float32Array.from(values as number[]) };
}
