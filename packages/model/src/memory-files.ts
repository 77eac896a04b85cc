import type { ModelSink, ModelSource } from './model-source';
import { utf8Bytes, utf8Text } from './utf8';

/**
 * Files in memory, both a {@link ModelSource} and a {@link ModelSink}: save an index where there is no file system
 * (a browser: offer `files` for download, or store them in IndexedDB), or hand a model's files around in tests.
 *
 * ```ts
 * const files = new MemoryFiles();
 * await index.save(files);                      // files.files: index.json, embeddings.bin, …
 * const again = await model.loadIndex(files);
 * ```
 */
export class MemoryFiles implements ModelSource, ModelSink {
  /** The files by name (the map itself is live: what `write` adds shows here). */
  readonly files: Map<string, Uint8Array>;
  readonly description: string;

  /**
   * @param files initial files by name (copied into a new map; the byte arrays are not copied).
   * @param description for messages (default `'memory'`).
   */
  constructor(files: Iterable<readonly [string, Uint8Array]> = [], description = 'memory') {
    this.files = new Map(files);
    this.description = description;
  }

  async readBytes(name: string): Promise<Uint8Array | null> {
    return this.files.get(name) ?? null;
  }

  async readText(name: string): Promise<string | null> {
    const bytes = this.files.get(name);
    return bytes === undefined ? null : utf8Text(bytes);
  }

  /** Stores a copy of `data` (text as UTF-8). */
  async write(name: string, data: Uint8Array | string): Promise<void> {
    this.files.set(name, typeof data === 'string' ? utf8Bytes(data) : data.slice());
  }
}
