import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { causeText, DatasetError } from './dataset-error';

/** A file as read by a loader: its absolute path, its bytes and their SHA-256. */
export interface HashedFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/**
 * Reads a whole file and hashes it, so the bytes a loader parses are exactly the bytes its fingerprint covers (a file
 * read twice could change in between). A missing file is `NOT_FOUND`, an empty one `BAD_FORMAT`, any other failure
 * `IO`; every message names the file.
 */
export async function readHashedFile(path: string, component: string): Promise<HashedFile> {
  const absolute = resolve(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    throw new DatasetError(
      component,
      missing ? 'NOT_FOUND' : 'IO',
      `expected a readable file at ${path}, got ${missing ? 'no such file' : causeText(cause)}`,
      { cause },
    );
  }
  if (bytes.length === 0) throw new DatasetError(component, 'BAD_FORMAT', `${path}: expected data, got an empty file`);
  return { path: absolute, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * One SHA-256 for a set of files: the hash of the text `sha256sum` prints for them, one line
 * `<sha256 of the bytes>  <name>\n` per file, sorted by name (UTF-16 code units), where a name is the file's path
 * relative to `base` with `/` separators. So a changed byte or a renamed file changes it, the order the files were
 * read in does not, and `cd base && sha256sum <files> | LC_ALL=C sort -k2 | sha256sum` reproduces it for ASCII names.
 */
export function fingerprintFiles(files: readonly Pick<HashedFile, 'path' | 'sha256'>[], base: string): string {
  const lines = files
    .map((f) => ({ name: relative(resolve(base), f.path).split(sep).join('/'), sha256: f.sha256 }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.name}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}
