import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';

const BLOCK = 512;

function cString(bytes: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && bytes[end] !== 0) end++;
  return Buffer.from(bytes.subarray(start, end)).toString('utf8');
}

function octal(bytes: Uint8Array, start: number, length: number): number {
  const text = cString(bytes, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** True when `path` would escape the extraction directory: absolute, drive-lettered, or with a `..` segment. */
function unsafeMemberPath(path: string): string | null {
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path) || isAbsolute(path))
    return 'an absolute path';
  if (path.split(/[\\/]/).includes('..')) return "a path with a '..' segment";
  return null;
}

interface TarMember {
  readonly path: string;
  readonly type: 'file' | 'directory';
  readonly data: Uint8Array;
}

/**
 * Extracts a tar archive (ustar/POSIX, with GNU long names and pax `path` records; gzip-compressed input is inflated
 * first) into `destination`, e.g. the official CIFAR tarballs. For safety, the whole archive is checked before
 * anything is written, and it is refused (`BAD_FORMAT` {@link DatasetError}) if any member has an absolute path or
 * a `..` segment, or is a link or a device; header checksums are verified. With `include`, only the members whose
 * archive path it accepts are written (the others are still checked). Returns the extracted file paths.
 *
 * ```ts
 * await extractTar(readFileSync('cifar-10-binary.tar.gz'), join(dataDirectory(), 'cifar10'));
 * ```
 */
export async function extractTar(
  archive: Uint8Array,
  destination: string,
  source = '<tar>',
  options: { readonly include?: (path: string) => boolean } = {},
): Promise<string[]> {
  const component = 'extractTar';
  const fail = (message: string): never => {
    throw new DatasetError(component, 'BAD_FORMAT', `${source}: ${message}`);
  };
  let bytes = archive;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (cause) {
      throw new DatasetError(component, 'BAD_FORMAT', `${source}: expected a complete gzip stream, got a corrupt one`, {
        cause,
      });
    }
  }
  const members: TarMember[] = [];
  let offset = 0;
  let nextPath: string | null = null;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
    const stored = octal(header, 148, 8);
    if (stored !== sum)
      fail(`expected header checksum ${sum} at byte ${offset}, got ${stored} (not a tar file, or corrupt)`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 48);
    const isUstar = cString(header, 257, 6).startsWith('ustar');
    const prefix = isUstar ? cString(header, 345, 155) : '';
    const name = cString(header, 0, 100);
    const dataStart = offset + BLOCK;
    if (dataStart + size > bytes.length)
      fail(`expected ${size} data bytes for member "${name}", got ${bytes.length - dataStart} (truncated)`);
    const data = bytes.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      nextPath = cString(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      const text = Buffer.from(data).toString('utf8');
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
      if (match) nextPath = match[1];
      continue;
    }
    if (type === 'g') continue;
    const path = nextPath ?? (prefix ? `${prefix}/${name}` : name);
    nextPath = null;
    const problem = unsafeMemberPath(path);
    if (problem)
      fail(
        `expected relative member paths inside the archive, got ${problem}: ${JSON.stringify(path)}; nothing was extracted`,
      );
    const wanted = options.include?.(path) ?? true;
    if (type === '0' || type === '7') {
      if (wanted) members.push({ path, type: 'file', data });
    } else if (type === '5') {
      if (wanted) members.push({ path, type: 'directory', data });
    } else
      fail(
        `expected only files and directories, got member ${JSON.stringify(path)} of type '${type}' (links and devices are refused); nothing was extracted`,
      );
  }
  const root = resolve(destination);
  const written: string[] = [];
  for (const member of members) {
    const target = resolve(root, member.path);
    const rel = relative(root, target);
    if (rel.startsWith('..') || isAbsolute(rel)) fail(`expected ${JSON.stringify(member.path)} to stay inside ${root}`);
  }
  for (const member of members) {
    const target = join(root, member.path);
    if (member.type === 'directory') {
      await mkdir(target, { recursive: true });
    } else {
      await mkdir(resolve(target, '..'), { recursive: true });
      await writeFile(target, member.data);
      written.push(target);
    }
  }
  return written;
}
