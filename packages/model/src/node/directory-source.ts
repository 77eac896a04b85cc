import { utf8Text } from '../utf8';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeValue } from '@empirical-bregman/common';
import { ModelError } from '../model-error';
import type { ModelSource } from '../model-source';

/**
 * A ModelSource over a folder on disk (a path, or a `file:` URL). Names are resolved inside the folder; one that
 * would leave it is refused (`BAD_FORMAT`). A missing file reads as `null`.
 *
 * ```ts
 * const model = await BregmanModel.load(directorySource('runs/2026-12-07-mnist-icnn/model'));
 * ```
 */
export function directorySource(folder: string | URL): ModelSource {
  const directory = folderPath('directorySource', folder);
  const readBytes = async (name: string): Promise<Uint8Array | null> => {
    const file = inside('directorySource', directory, name);
    try {
      const buffer = await readFile(file);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new ModelError('directorySource', 'IO', `expected to read ${file}, got ${String(error)}`, { cause: error });
    }
  };
  return {
    description: directory,
    directory,
    readBytes,
    async readText(name) {
      const bytes = await readBytes(name);
      return bytes === null ? null : utf8Text(bytes);
    },
  };
}

/** The absolute folder path of a path or `file:` URL. Internal. */
export function folderPath(component: string, folder: string | URL): string {
  if (folder instanceof URL || (typeof folder === 'string' && folder.startsWith('file:'))) {
    return resolve(fileURLToPath(folder));
  }
  if (typeof folder !== 'string' || folder.length === 0) {
    throw new ModelError(component, 'INVALID_ARGUMENT', `expected a folder path, got ${describeValue(folder)}`);
  }
  return resolve(folder);
}

/** `name` resolved inside `directory`, refused when it leaves it. Internal. */
export function inside(component: string, directory: string, name: string): string {
  const file = resolve(directory, name);
  const rel = relative(directory, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new ModelError(
      component,
      'BAD_FORMAT',
      `expected a file name inside ${directory}, got ${describeValue(name)}`,
    );
  }
  return file;
}
