/** The 256-entry table of the reflected CRC-32 polynomial 0xEDB88320 (ISO 3309, as PNG and zlib use it). */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 of `bytes` (PNG specification, annex D): crc = ~fold(table[(crc ⊕ byte) & 0xff] ⊕ (crc >>> 8)) from
 * crc = 0xFFFFFFFF. The check value of the ASCII string "123456789" is 0xCBF43926. The one implementation for PNG
 * chunks and zip entries (Node's zlib.crc32 needs Node ≥ 20.15, and this package runs in browsers too).
 *
 * ```ts
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * ```
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
