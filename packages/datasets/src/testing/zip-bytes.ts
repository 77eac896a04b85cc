import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Test helper: a zip archive built from the format description (APPNOTE 6.3), stored or deflated, optionally with
 * the zip64 headers `np.savez` writes (0xFFFFFFFF sizes in the local header, the real ones in a zip64 extra field), so
 * the reader is checked against the format rather than against itself. Uses zlib's crc32 (Node ≥ 20.15), which the
 * tests may rely on and the library does not.
 */
export function zipBytes(
  files: readonly { readonly name: string; readonly data: Uint8Array }[],
  options: { readonly deflate?: boolean; readonly zip64Local?: boolean } = {},
): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = new TextEncoder().encode(name);
    const packed = options.deflate ? deflateRawSync(data) : data;
    const crc = crc32(data);
    const zip64 = options.zip64Local ?? false;
    const local = new DataView(new ArrayBuffer(30 + nameBytes.length + (zip64 ? 20 : 0)));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, zip64 ? 45 : 20, true);
    local.setUint16(8, options.deflate ? 8 : 0, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, zip64 ? 0xffffffff : packed.length, true);
    local.setUint32(22, zip64 ? 0xffffffff : data.length, true);
    local.setUint16(26, nameBytes.length, true);
    local.setUint16(28, zip64 ? 20 : 0, true);
    new Uint8Array(local.buffer).set(nameBytes, 30);
    if (zip64) {
      const x = 30 + nameBytes.length;
      local.setUint16(x, 1, true);
      local.setUint16(x + 2, 16, true);
      local.setBigUint64(x + 4, BigInt(data.length), true);
      local.setBigUint64(x + 12, BigInt(packed.length), true);
    }
    const entry = new DataView(new ArrayBuffer(46 + nameBytes.length));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(4, 20, true);
    entry.setUint16(6, 20, true);
    entry.setUint16(10, options.deflate ? 8 : 0, true);
    entry.setUint32(16, crc, true);
    entry.setUint32(20, packed.length, true);
    entry.setUint32(24, data.length, true);
    entry.setUint16(28, nameBytes.length, true);
    entry.setUint32(42, offset, true);
    new Uint8Array(entry.buffer).set(nameBytes, 46);
    chunks.push(new Uint8Array(local.buffer), packed);
    central.push(new Uint8Array(entry.buffer));
    offset += local.byteLength + packed.length;
  }
  const centralSize = central.reduce((a, c) => a + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...chunks, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
