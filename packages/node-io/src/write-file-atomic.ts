import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeValue } from '@empirical-bregman/common';
import { ensureDirectory } from './ensure-directory';
import { NodeIoError } from './node-io-error';

/**
 * Writes a file so that readers only ever see the old or the complete new content, also after `kill -9` or a power
 * loss: the bytes go to a temporary file beside the target (same directory, so the same file system), are flushed
 * to disk (`fsync`), then the temporary file is renamed over the target (atomic within one file system) and the
 * directory is flushed too, so the rename itself is durable. On failure the temporary file is removed and the target
 * is untouched. Missing parent directories are created.
 *
 * Why the explicit `fsync`: without it a crash after the rename can leave a complete-looking name with empty or
 * partial contents on some file systems (ext4's delayed allocation); `writeFileSync`'s own `flush` option is ignored
 * before Node 20.10.
 *
 * ```ts
 * writeFileAtomic('runs/1/metrics.json', JSON.stringify(metrics));
 * writeFileAtomic('runs/1/items.bin', new Uint8Array(values.buffer));
 * ```
 *
 * @throws NodeIoError with code `'IO'` (the file system's error as `cause`).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const component = 'writeFileAtomic';
  if (typeof path !== 'string' || path.length === 0) {
    throw new NodeIoError(component, 'INVALID_ARGUMENT', `expected a file path, got ${describeValue(path)}`);
  }
  const directory = dirname(path);
  // Hidden, and unique per process and call: two writers of one target never share a temporary file.
  const temp = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  ensureDirectory(directory, `the folder of ${path}`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    removeStaleTemps(directory, basename(path));
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The write's own error is the one to report.
    }
    throw new NodeIoError(component, 'IO', `expected to write ${path}, got ${String(error)}`, { cause: error });
  }
  syncDirectory(directory);
}

/** Flushes a directory's entries (the rename). Best effort: some platforms (Windows) cannot open a directory. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // The file itself is complete and flushed; only the rename's durability is not guaranteed here.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Deletes temporary files of `target` left by writers that died mid-write (`kill -9` between the write and the
 * rename): `.<target>.<pid>.<hex>.tmp` whose pid is not a live process. A checkpoint's is as large as the checkpoint
 * (27 MB seen), and nothing else ever removes them. Live writers' files (another process writing the same target
 * now) are left alone; best effort, never an error.
 */
export function removeStaleTemps(directory: string, target: string): void {
  const prefix = `.${target}.`;
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(/^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    try {
      rmSync(join(directory, name), { force: true });
    } catch {
      // Another writer's cleanup got there first, or the folder is read-only: nothing to do.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
