import { checkFeatureValue, parseNpy } from '@empirical-bregman/datasets';
import { CliError } from '../cli-error';

/**
 * Samples from the bytes of a NumPy `.npy` array (datasets' `parseNpy`: float32/float64 and integer dtypes, C or
 * Fortran order): shape [n, …] with ∏ of the trailing axes = `size` values per sample, or a flat array of a multiple
 * of `size` values. Every value must be finite in float32 (datasets' `checkFeatureValue`): a float64 1e39 or NaN is
 * one error naming the source, row and column, never an infinite or NaN embedding. `bregman embed/query --input
 * x.npy` and `bregman serve`'s `application/x-npy` bodies read samples through this.
 *
 * ```ts
 * samplesFromNpy(readFileSync('x.npy'), 4, 'x.npy'); // { features: Float32Array(n · 4), count: n }
 * ```
 */
export function samplesFromNpy(
  bytes: Uint8Array,
  size: number,
  source: string,
  component = 'input',
): { features: Float32Array; count: number } {
  const array = parseNpy(bytes, source, component);
  const { shape, data } = array;
  if (array.dtype === 'str' || array.dtype === 'int64' || array.dtype === 'uint64')
    throw new CliError(
      component,
      'BAD_FORMAT',
      `expected numbers of at most 32 bits (float32, float64, int8…int32, uint8…uint32) in ${source}, got dtype ${array.dtype}`,
    );
  const numbers = data as Exclude<typeof data, readonly string[] | BigInt64Array | BigUint64Array>;
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  if ((shape.length >= 2 && width !== size) || numbers.length === 0 || numbers.length % size !== 0)
    throw new CliError(
      component,
      'INVALID_SHAPE',
      `expected samples of ${size} values each in ${source}, got an array of shape [${shape.join(', ')}]${
        shape.length >= 2 ? ` (${width} per sample)` : ''
      }`,
    );
  const features = array.dtype === 'float32' ? (numbers as Float32Array) : Float32Array.from(numbers);
  // One scan of the float32 copy: NaN stays NaN, and a float64 beyond float32's range became ±Infinity.
  for (let at = 0; at < features.length; at++) {
    if (Number.isFinite(features[at]!)) continue;
    checkFeatureValue(numbers[at], { source, row: Math.floor(at / size) + 1, column: (at % size) + 1 }, component);
  }
  return { features, count: features.length / size };
}
