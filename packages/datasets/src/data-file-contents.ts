import type { HashedFile } from './hashed-file';
import type { InputSpec } from './input-spec';

/**
 * What one format's reader hands to `loadDataFiles`: samples, their raw labels (turned into class indices in one
 * place, {@link indexClasses}), the input spec, and the files read with their hashes (not their bytes: an image folder
 * would otherwise hold every file in memory).
 */
export interface DataFileContents {
  readonly features: Float32Array;
  readonly sampleShape: readonly number[];
  /** One raw label per sample, as text (integers in decimal). */
  readonly rawLabels: readonly string[];
  readonly input: InputSpec;
  readonly files: readonly Pick<HashedFile, 'path' | 'sha256'>[];
}
