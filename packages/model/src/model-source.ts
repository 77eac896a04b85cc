/**
 * Where the files of a model folder (or of a saved index) are read from: a folder on disk (`directorySource` of
 * `@empirical-bregman/model/node`), a URL (`urlSource`), files a user picked in a browser (`fileListSource`), or
 * memory (`MemoryFiles`). Anything with these two methods works: a zip archive, a database, a test double.
 *
 * Names are relative, `/`-separated (`manifest.json`, `weights.bin`, `trunk/model.json`), never absolute and
 * never with `..` (the package checks names before asking).
 */
export interface ModelSource {
  /** Where the files are, for messages (a folder path, a URL). */
  readonly description: string;
  /**
   * The folder on disk, when the files are one (`directorySource`): the ANN index reads its own files by path.
   * Absent elsewhere.
   */
  readonly directory?: string;
  /** The named file's bytes, or `null` when there is no such file (other failures reject). */
  readBytes(name: string): Promise<Uint8Array | null>;
  /** The named file's text (UTF-8), or `null` when there is no such file (other failures reject). */
  readText(name: string): Promise<string | null>;
}

/**
 * Where the files of a saved index (and the copy of its model) are written: a folder on disk (`directorySink` of
 * `@empirical-bregman/model/node`, atomic writes) or memory (`MemoryFiles`). Writers write the data files first and
 * the file that describes them (`index.json`) last, so a folder written halfway is never taken for a complete one.
 */
export interface ModelSink {
  /** Where the files go, for messages. */
  readonly description: string;
  /** The folder on disk, when the sink is one (`directorySink`): the ANN index writes its own files by path. */
  readonly directory?: string;
  /** Writes the named file whole, replacing it; text is written as UTF-8. */
  write(name: string, data: Uint8Array | string): Promise<void>;
}

/**
 * What `fileListSource` needs of a file: a browser `File` (from `<input type="file" webkitdirectory>` or a drop)
 * has it, and so does Node's `File`.
 */
export interface FileLike {
  /** The file's own name, e.g. `weights.bin`. */
  readonly name: string;
  /** Path within the picked folder, starting with that folder's name (browsers set it for folder picks). */
  readonly webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What `urlSource` needs of `fetch` (the global one by default). */
export type FetchLike = (url: string) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly statusText?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** True for an object with the two methods of a {@link ModelSource} (a capability check, not a class). */
export function isModelSource(value: unknown): value is ModelSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ModelSource).readBytes === 'function' &&
    typeof (value as ModelSource).readText === 'function'
  );
}

/** True for an object with the `write` method of a {@link ModelSink}. */
export function isModelSink(value: unknown): value is ModelSink {
  return typeof value === 'object' && value !== null && typeof (value as ModelSink).write === 'function';
}
