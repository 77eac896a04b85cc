import { CliError } from '../cli-error';

/** The element types the CLI writes: float32 values (embeddings, divergences) and int32 ones (indices, labels). */
export type NpyValues = Float32Array | Int32Array;

/**
 * An array as NumPy `.npy` (format 1.0), so results go straight into Python: `np.load('embeddings.npy')`. float32
 * values are written as `<f4`, int32 as `<i4`, row-major. (Reading is datasets' `parseNpy`, through
 * `samplesFromNpy`.)
 */
export function encodeNpy(values: NpyValues, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length)
    throw new CliError(
      'encodeNpy',
      'INVALID_SHAPE',
      `expected ${count} values for shape (${shape.join(', ')}), got ${values.length}`,
    );
  const descr = values instanceof Float32Array ? '<f4' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + header.length);
  return out;
}
