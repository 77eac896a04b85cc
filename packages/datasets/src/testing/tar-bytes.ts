import { gzipSync } from 'node:zlib';

/**
 * Test helper: one tar member — a ustar header block and its data padded to 512 bytes — written from the POSIX ustar
 * layout (name at byte 0, size at 124 in octal, type at 156, checksum at 148 over the header with its own field as
 * spaces, `ustar` at 257), so readers are checked against the format rather than against the library's own writer
 * (it has none). `type` '0' is a file, '5' a directory, '2' a symbolic link.
 */
export function tarMember(name: string, body: string | Uint8Array, type = '0'): Buffer {
  const data = Buffer.from(body);
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(32, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded]);
}

/** Test helper: a gzip-compressed tar archive of `files` (name → content), each a {@link tarMember} file. */
export function tarGzBytes(files: Readonly<Record<string, string | Uint8Array>>): Uint8Array {
  const blocks = Object.entries(files).map(([name, body]) => tarMember(name, body));
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}
