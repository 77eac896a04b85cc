/**
 * Test helper: a `.npy` file written from the format description (magic, version, little-endian header length, a
 * Python-literal header padded with spaces to a multiple of 64 and ending in `\n`, then the values), so the reader is
 * checked against the format rather than against itself.
 */
export function npyBytes(
  descr: string,
  shape: readonly number[],
  values: ArrayLike<number | bigint | string>,
  options: { readonly fortranOrder?: boolean; readonly version?: 1 | 2 } = {},
): Uint8Array {
  const version = options.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${options.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const preamble = version === 1 ? 10 : 12;
  header += `${' '.repeat((64 - ((preamble + header.length + 1) % 64)) % 64)}\n`;
  const little = !descr.startsWith('>');
  const kind = descr.slice(1, 2);
  const size = Number(descr.slice(2));
  const width = kind === 'U' ? 4 * size : size;
  const body = new DataView(new ArrayBuffer(values.length * width));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const at = i * width;
    if (kind === 'U') {
      const codes = [...String(v)].map((c) => c.codePointAt(0)!);
      codes.forEach((c, k) => {
        body.setUint32(at + 4 * k, c, little);
      });
    } else if (kind === 'f') {
      if (size === 4) body.setFloat32(at, Number(v), little);
      else body.setFloat64(at, Number(v), little);
    } else if (size === 8) {
      if (kind === 'i') body.setBigInt64(at, BigInt(v), little);
      else body.setBigUint64(at, BigInt(v), little);
    } else {
      const set = (
        {
          i1: () => body.setInt8(at, Number(v)),
          u1: () => body.setUint8(at, Number(v)),
          i2: () => body.setInt16(at, Number(v), little),
          u2: () => body.setUint16(at, Number(v), little),
          i4: () => body.setInt32(at, Number(v), little),
          u4: () => body.setUint32(at, Number(v), little),
        } as Record<string, () => void>
      )[`${kind}${size}`];
      // Other dtypes (|b1, <f2 …) are left as zero bytes: enough to test that the reader refuses them.
      set?.();
    }
  }
  const out = new Uint8Array(preamble + header.length + body.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), preamble);
  out.set(new Uint8Array(body.buffer), preamble + header.length);
  return out;
}
