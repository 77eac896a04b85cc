import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';

/** The element types of the IDX format (LeCun's MNIST page), by their type byte. */
const IDX_TYPES = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
} as const;

/** An IDX element type. */
export type IdxDtype = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['dtype'];

/** A decoded IDX file: an n-dimensional array, row-major. */
export interface IdxArray {
  readonly dtype: IdxDtype;
  /** The dimension sizes from the header, e.g. [60000, 28, 28] for MNIST images. */
  readonly dims: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * Decodes an IDX file (the format of MNIST, Fashion-MNIST, KMNIST and EMNIST). Layout: two zero bytes, a type byte
 * (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions r, then r
 * big-endian uint32 sizes, then ∏ sizes big-endian values. gzip input (magic 1F 8B) is inflated first.
 *
 * Every header problem is a `BAD_FORMAT` {@link DatasetError} naming `source` and the problem: wrong magic, unknown
 * type, truncated header, truncated data, or a data length that disagrees with the dimensions.
 *
 * ```ts
 * const labels = parseIdx(readFileSync('t10k-labels-idx1-ubyte.gz'), 't10k-labels-idx1-ubyte.gz');
 * ```
 */
export function parseIdx(input: Uint8Array, source = '<bytes>'): IdxArray {
  const component = 'parseIdx';
  const fail = (message: string): never => {
    throw new DatasetError(component, 'BAD_FORMAT', `${source}: ${message}`);
  };
  let bytes = input;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (cause) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${source}: expected a complete gzip stream, got a corrupt or truncated one (${(cause as Error).message})`,
        { cause },
      );
    }
  }
  if (bytes.length < 4) fail(`expected a 4-byte IDX magic number, got a file of ${bytes.length} bytes (truncated)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(`expected an IDX magic number starting with 00 00, got ${hex}`);
  }
  const type = IDX_TYPES[bytes[2] as keyof typeof IDX_TYPES];
  if (!type)
    fail(`expected an IDX type byte in {08, 09, 0b, 0c, 0d, 0e}, got ${bytes[2].toString(16).padStart(2, '0')}`);
  const rank = bytes[3];
  if (rank === 0) fail('expected at least one dimension in the IDX header, got 0');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    fail(`expected a ${headerBytes}-byte header for ${rank} dimensions, got ${bytes.length} bytes (truncated header)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let r = 0; r < rank; r++) {
    const size = view.getUint32(4 + 4 * r, false);
    dims.push(size);
    count *= size;
  }
  const expected = headerBytes + count * type.bytes;
  if (bytes.length < expected) {
    fail(
      `expected ${count * type.bytes} data bytes for dims [${dims.join(', ')}] of ${type.dtype}, got ${bytes.length - headerBytes} (truncated file)`,
    );
  }
  if (bytes.length > expected) {
    fail(
      `expected ${count * type.bytes} data bytes for dims [${dims.join(', ')}] of ${type.dtype}, got ${bytes.length - headerBytes} (dims disagree with the byte count)`,
    );
  }
  const at = headerBytes;
  switch (type.dtype) {
    case 'uint8':
      return { dtype: 'uint8', dims, data: bytes.slice(at, expected) };
    case 'int8':
      return { dtype: 'int8', dims, data: new Int8Array(bytes.slice(at, expected).buffer) };
    default: {
      const make = {
        int16: (n: number) => new Int16Array(n),
        int32: (n: number) => new Int32Array(n),
        float32: (n: number) => new Float32Array(n),
        float64: (n: number) => new Float64Array(n),
      }[type.dtype];
      const data = make(count);
      for (let i = 0; i < count; i++) {
        const o = at + i * type.bytes;
        data[i] =
          type.dtype === 'int16'
            ? view.getInt16(o, false)
            : type.dtype === 'int32'
              ? view.getInt32(o, false)
              : type.dtype === 'float32'
                ? view.getFloat32(o, false)
                : view.getFloat64(o, false);
      }
      return { dtype: type.dtype, dims, data };
    }
  }
}

/** Reads and decodes an IDX file (raw or gzip); errors name the file. */
export async function readIdxFile(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new DatasetError(
      'readIdxFile',
      'NOT_FOUND',
      `expected a readable IDX file at ${path}, got ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return parseIdx(bytes, path);
}
