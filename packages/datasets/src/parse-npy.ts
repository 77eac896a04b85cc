import { DatasetError } from './dataset-error';

/** The NumPy element types {@link parseNpy} reads. */
export type NpyDtype =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'str';

/** A decoded `.npy` array, always in C (row-major) order. */
export interface NpyArray {
  readonly dtype: NpyDtype;
  /** The shape from the header, e.g. [150, 4]. */
  readonly shape: readonly number[];
  /** ∏ shape values; 64-bit integers as bigints, fixed-width unicode (`<U…`) as strings without their NUL padding. */
  readonly data:
    | Float32Array
    | Float64Array
    | Int8Array
    | Uint8Array
    | Int16Array
    | Uint16Array
    | Int32Array
    | Uint32Array
    | BigInt64Array
    | BigUint64Array
    | readonly string[];
}

const NUMERIC: Record<string, { dtype: NpyDtype; get: (v: DataView, at: number, little: boolean) => number | bigint }> =
  {
    f4: { dtype: 'float32', get: (v, at, le) => v.getFloat32(at, le) },
    f8: { dtype: 'float64', get: (v, at, le) => v.getFloat64(at, le) },
    i1: { dtype: 'int8', get: (v, at) => v.getInt8(at) },
    u1: { dtype: 'uint8', get: (v, at) => v.getUint8(at) },
    i2: { dtype: 'int16', get: (v, at, le) => v.getInt16(at, le) },
    u2: { dtype: 'uint16', get: (v, at, le) => v.getUint16(at, le) },
    i4: { dtype: 'int32', get: (v, at, le) => v.getInt32(at, le) },
    u4: { dtype: 'uint32', get: (v, at, le) => v.getUint32(at, le) },
    i8: { dtype: 'int64', get: (v, at, le) => v.getBigInt64(at, le) },
    u8: { dtype: 'uint64', get: (v, at, le) => v.getBigUint64(at, le) },
  };

function allocate(dtype: NpyDtype, n: number): Exclude<NpyArray['data'], readonly string[]> {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'uint8':
      return new Uint8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'uint16':
      return new Uint16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint32':
      return new Uint32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    default:
      return new BigUint64Array(n);
  }
}

/**
 * For element i in C order, its position in a Fortran-order (column-major) buffer. numpy writes `fortran_order: True`
 * for any F-contiguous array, e.g. `df.to_numpy()` of a float DataFrame, so refusing it would refuse common files.
 */
function fortranPosition(shape: readonly number[]): (i: number) => number {
  const strides: number[] = [];
  let s = 1;
  for (const d of shape) {
    strides.push(s);
    s *= d;
  }
  return (i) => {
    let at = 0;
    for (let k = shape.length - 1; k >= 0; k--) {
      at += (i % shape[k]) * strides[k];
      i = Math.floor(i / shape[k]);
    }
    return at;
  };
}

/**
 * Decodes a NumPy `.npy` file (format versions 1–3): magic `\x93NUMPY`, version, header length, a Python-literal
 * header `{'descr': '<f4', 'fortran_order': False, 'shape': (150, 4), }`, then the raw values. Reads little- and
 * big-endian floats (f4, f8) and integers (i1…i8, u1…u8) and fixed-width unicode strings (`<U…`), in C or Fortran
 * order (returned in C order). Object arrays (pickles), structured dtypes, float16, booleans and complex numbers are
 * refused.
 *
 * Every problem is a `BAD_FORMAT` {@link DatasetError} naming `source`: wrong magic, a truncated or unreadable
 * header, an unsupported dtype, or a data length that differs from ∏ shape × item size.
 *
 * ```ts
 * const x = parseNpy(readFileSync('x.npy'), 'x.npy'); // { dtype: 'float32', shape: [150, 4], data: Float32Array }
 * ```
 */
export function parseNpy(bytes: Uint8Array, source = '<npy>', component = 'parseNpy'): NpyArray {
  const fail = (message: string): never => {
    throw new DatasetError(component, 'BAD_FORMAT', `${source}: ${message}`);
  };
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) {
    const start = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(`expected a .npy file starting with 93 4e 55 4d 50 59 (\\x93NUMPY), got ${start || 'no bytes'}`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`expected .npy format version 1, 2 or 3, got ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) fail(`expected a ${start}-byte preamble, got ${bytes.length} bytes (truncated header)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (bytes.length < start + headerLength) {
    fail(`expected a header of ${headerLength} bytes, got ${bytes.length - start} (truncated header)`);
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    fail(
      `expected a header with 'descr' (a simple dtype), 'fortran_order' and 'shape', got ${JSON.stringify(header.trim())}`,
    );
  }
  const dims = shapeText!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!dims.every((d) => /^\d+$/.test(d))) fail(`expected a shape of non-negative integers, got (${shapeText})`);
  const shape = dims.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dtypeMatch = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr!);
  const [, order, kind, sizeText] = dtypeMatch ?? [];
  const itemSize = Number(sizeText);
  const isString = kind === 'U';
  const numeric = NUMERIC[`${kind}${sizeText}`];
  if (!dtypeMatch || (!numeric && !isString)) {
    const hint = descr === '|O' ? ' (an object array: save a numeric array instead)' : '';
    fail(`expected a dtype among float32, float64, int8…int64, uint8…uint64 or unicode, got '${descr}'${hint}`);
  }
  const width = isString ? 4 * itemSize : itemSize;
  const data = bytes.subarray(start + headerLength);
  if (data.length !== count * width) {
    fail(
      `expected ${count * width} data bytes for shape (${shape.join(', ')}) of '${descr}', got ${data.length} (${data.length < count * width ? 'truncated file' : 'shape disagrees with the byte count'})`,
    );
  }
  const little = order !== '>';
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const at = fortran === 'True' && shape.length > 1 ? fortranPosition(shape) : (i: number) => i;
  if (isString) {
    const strings: string[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const base = at(i) * width;
      let text = '';
      for (let k = 0; k < itemSize; k++) {
        const code = dv.getUint32(base + 4 * k, little);
        if (code === 0) break;
        if (code > 0x10ffff) fail(`expected unicode code points in element ${i}, got 0x${code.toString(16)}`);
        text += String.fromCodePoint(code);
      }
      strings[i] = text;
    }
    return { dtype: 'str', shape, data: strings };
  }
  const out = allocate(numeric!.dtype, count);
  const hostLittle = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
  if ((little === hostLittle || width === 1) && !(fortran === 'True' && shape.length > 1)) {
    // The common case (C order, the machine's byte order): the bytes are the typed array's, one copy.
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(data);
    return { dtype: numeric!.dtype, shape, data: out };
  }
  // Other byte orders and Fortran order, element by element: `get` returns a bigint exactly when `out` is a
  // BigInt64/BigUint64Array.
  const sink = out as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < count; i++) sink[i] = numeric!.get(dv, at(i) * width, little);
  return { dtype: numeric!.dtype, shape, data: out };
}
