import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { causeText, DatasetError } from './dataset-error';
import { IDX_NAME } from './read-idx-files';
import { IMAGE_EXTENSIONS } from './read-image-folder';

/** The kinds of users' data files `loadDataFiles` reads. */
export type DataFileFormat = 'csv' | 'tsv' | 'npy' | 'npz' | 'idx' | 'image-folder';

/** What a data path can name, for messages and help text. */
export const SUPPORTED_DATA_FILES = `a .csv, .tsv, .npy or .npz file, an IDX images file (…idx3-ubyte, raw or .gz) or a folder of class folders of ${IMAGE_EXTENSIONS.join('/')} images`;

const BY_EXTENSION: Record<string, DataFileFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.npy': 'npy', '.npz': 'npz' };

/**
 * The format of `path`, from what it is: a folder is an image folder; a file is known by its extension (any case),
 * an IDX file by its `idx<k>-ubyte[.gz]` ending. A missing path is `NOT_FOUND`; any other name is `INVALID_ARGUMENT`,
 * listing what is supported.
 *
 * ```ts
 * await detectDataFileFormat('data/iris.csv'); // 'csv'
 * await detectDataFileFormat('photos/');       // 'image-folder'
 * ```
 */
export async function detectDataFileFormat(path: string, component = 'detectDataFileFormat'): Promise<DataFileFormat> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    throw new DatasetError(
      component,
      missing ? 'NOT_FOUND' : 'IO',
      `expected a data file or folder at ${path}, got ${missing ? 'no such file or folder' : causeText(cause)}`,
      { cause },
    );
  }
  if (isFolder) return 'image-folder';
  const format = BY_EXTENSION[extname(path).toLowerCase()] ?? (IDX_NAME.test(path) ? 'idx' : undefined);
  if (format === undefined) {
    throw new DatasetError(component, 'INVALID_ARGUMENT', `expected ${SUPPORTED_DATA_FILES}, got ${path}`);
  }
  return format;
}
