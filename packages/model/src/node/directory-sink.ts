import { writeFileAtomic } from '@empirical-bregman/node-io';
import { ModelError } from '../model-error';
import type { ModelSink } from '../model-source';
import { folderPath, inside } from './directory-source';

/**
 * A ModelSink writing into a folder on disk (created when missing, sub-folders too), each file atomically
 * (node-io's `writeFileAtomic`: a flushed temporary file renamed over the target), so a crash leaves the old file
 * or the whole new one.
 *
 * ```ts
 * await index.save(directorySink('runs/x/index'));
 * ```
 */
export function directorySink(folder: string | URL): ModelSink {
  const directory = folderPath('directorySink', folder);
  return {
    description: directory,
    directory,
    async write(name, data) {
      const file = inside('directorySink', directory, name);
      try {
        writeFileAtomic(file, data);
      } catch (error) {
        throw new ModelError('directorySink', 'IO', `expected to write ${file}, got ${String(error)}`, {
          cause: error,
        });
      }
    },
  };
}
