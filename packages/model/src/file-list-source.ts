import { describeValue } from '@empirical-bregman/common';
import { ModelError } from './model-error';
import type { FileLike, ModelSource } from './model-source';
import { utf8Text } from './utf8';

/**
 * A {@link ModelSource} over files a user picked in a browser (`<input type="file" webkitdirectory multiple>`'s
 * `input.files`, or dropped files). Each file is known by its path inside the picked folder (its
 * `webkitRelativePath` without the folder's own name) or, without one, by its `name`; two files under one name are
 * refused.
 *
 * ```ts
 * input.onchange = async () => {
 *   const model = await BregmanModel.load(fileListSource(input.files));
 * };
 * ```
 */
export function fileListSource(files: Iterable<FileLike> | ArrayLike<FileLike>): ModelSource {
  const component = 'fileListSource';
  const list = files !== null && typeof files === 'object' ? Array.from(files as ArrayLike<FileLike>) : null;
  if (list === null || list.some((f) => f === null || typeof f !== 'object' || typeof f.arrayBuffer !== 'function')) {
    throw new ModelError(
      component,
      'INVALID_ARGUMENT',
      `expected a list of files (File objects with name and arrayBuffer()), got ${describeValue(files)}`,
    );
  }
  const byName = new Map<string, FileLike>();
  for (const file of list) {
    const relative = file.webkitRelativePath ? file.webkitRelativePath.split('/').slice(1).join('/') : '';
    const key = relative || file.name;
    if (byName.has(key)) {
      throw new ModelError(
        component,
        'INVALID_ARGUMENT',
        `expected one file per name, got two named ${JSON.stringify(key)}`,
      );
    }
    byName.set(key, file);
  }
  const readBytes = async (name: string): Promise<Uint8Array | null> => {
    const file = byName.get(name);
    if (file === undefined) return null;
    try {
      return new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      throw new ModelError(component, 'IO', `expected to read the file ${name}, got ${String(error)}`, {
        cause: error,
      });
    }
  };
  return {
    description: `${byName.size} picked files (${[...byName.keys()].slice(0, 4).join(', ')}${byName.size > 4 ? ', …' : ''})`,
    readBytes,
    async readText(name) {
      const bytes = await readBytes(name);
      return bytes === null ? null : utf8Text(bytes);
    },
  };
}
