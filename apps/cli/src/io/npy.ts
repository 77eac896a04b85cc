import { CliError } from '../cli-error';

/**
 * NumPy `.npy` (format 1.0/2.0) for 2-D float arrays, so embeddings go straight into Python:
 * `np.load('embeddings.npy')`. Reads little-endian float32/float64 in C order; writes float32.
 */
export function encodeNpy(values: Float32Array, shape: readonly [number, number]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape[0]}, ${shape[1]}), }`;
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

export function decodeNpy(bytes: Uint8Array, source: string): { values: Float32Array; shape: number[] } {
  const fail = (what: string): never => {
    throw new CliError('npy', 'BAD_FORMAT', `expected ${what} in ${source}`);
  };
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY')
    fail('a .npy file (magic \\x93NUMPY)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) fail('a .npy header with descr, fortran_order and shape');
  if (fortran === 'True') fail('C-order data (fortran_order False)');
  const shape = shapeText!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const data = bytes.subarray(start + headerLength);
  const values = new Float32Array(count);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (descr === '<f4') {
    if (data.byteLength < count * 4) fail(`${count} float32 values`);
    for (let i = 0; i < count; i++) values[i] = dv.getFloat32(i * 4, true);
  } else if (descr === '<f8') {
    if (data.byteLength < count * 8) fail(`${count} float64 values`);
    for (let i = 0; i < count; i++) values[i] = dv.getFloat64(i * 8, true);
  } else {
    fail(`little-endian float32 or float64 data ('<f4' or '<f8'), got '${descr}'`);
  }
  return { values, shape };
}
