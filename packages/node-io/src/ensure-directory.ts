import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NodeIoError } from './node-io-error';

/**
 * Creates the folder `path` and its missing parents one level at a time, with one-line errors naming the path and
 * the cause: a file where a folder should be, no permission, a file system that refuses. Not
 * `mkdirSync(path, { recursive: true })`: under /proc (`--out /proc/x`) Node 20's recursive mkdir loops at 100% CPU
 * for minutes, and it reports ENOTDIR and EACCES without saying which level failed. Returns the absolute path.
 *
 * ```ts
 * ensureDirectory('runs/2026/bench', 'the output folder (--out)');
 * ```
 *
 * @throws NodeIoError with code `'IO'`.
 */
export function ensureDirectory(path: string, what = 'a folder'): string {
  const full = resolve(path);
  const missing: string[] = [];
  let existing = full;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (existsSync(existing) && !statSync(existing).isDirectory())
    throw new NodeIoError('ensureDirectory', 'IO', `expected a folder for ${what} at ${existing}, got a file`);
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(dir).isDirectory()) continue;
      throw new NodeIoError(
        'ensureDirectory',
        'IO',
        `expected to create ${what} at ${dir}, got ${code ?? (error as Error).message}`,
        { cause: error },
      );
    }
  }
  return full;
}
