import { gzipSync } from 'node:zlib';

/**
 * Test helper: a gzip-compressed tar archive of `files` (regular files, in the given order) written from the POSIX
 * ustar layout (name 0–99, mode 100, size 124 in octal, checksum 148 computed with the field as spaces, type 156,
 * magic 257), like the tarballs `npm pack` writes; names must fit in 100 bytes.
 */
export function tarGzBytes(files: readonly { readonly name: string; readonly data: Uint8Array }[]): Uint8Array {
  const blocks: Buffer[] = [];
  for (const { name, data } of files) {
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
    Buffer.from(data).copy(padded);
    blocks.push(header, padded);
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}
