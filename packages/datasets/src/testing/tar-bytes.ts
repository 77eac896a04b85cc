import { gzipSync } from 'node:zlib';

/**
 * Test helper: a gzip-compressed tar archive of `files` (name → content), written from the POSIX ustar layout (name
 * at byte 0, size at 124 in octal, checksum at 148 over the header with its own field as spaces, `ustar` at 257),
 * so readers are checked against the format rather than against the library's own writer (it has none).
 */
export function tarGzBytes(files: Readonly<Record<string, string | Uint8Array>>): Uint8Array {
  const blocks: Buffer[] = [];
  for (const [name, body] of Object.entries(files)) {
    const data = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    const header = Buffer.alloc(512);
    header.write(name, 0, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.fill(32, 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
    data.copy(padded);
    blocks.push(header, padded);
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
