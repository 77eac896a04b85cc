/**
 * The index files store float32 and int32 values little-endian whatever the machine. Every platform tfjs runs on is
 * little-endian, where these are views or plain copies; a big-endian machine gets its bytes swapped. Internal.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The little-endian bytes of 4-byte values (a view of `values` on little-endian machines). */
export function littleEndianBytes(values: Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return LITTLE_ENDIAN ? bytes : swap4(bytes);
}

/** float32 values from little-endian bytes (a fresh, aligned copy). `bytes.length` must be a multiple of 4. */
export function float32FromLittleEndian(bytes: Uint8Array): Float32Array {
  return new Float32Array(aligned(bytes).buffer);
}

/** int32 values from little-endian bytes (a fresh, aligned copy). `bytes.length` must be a multiple of 4. */
export function int32FromLittleEndian(bytes: Uint8Array): Int32Array {
  return new Int32Array(aligned(bytes).buffer);
}

function aligned(bytes: Uint8Array): Uint8Array {
  return LITTLE_ENDIAN ? bytes.slice() : swap4(bytes);
}

function swap4(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) {
    out[i] = bytes[i + 3]!;
    out[i + 1] = bytes[i + 2]!;
    out[i + 2] = bytes[i + 1]!;
    out[i + 3] = bytes[i]!;
  }
  return out;
}
