import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from './dataset-error';
import { type LabelledData, validateLabelledData } from './labelled-data';

/** Which CIFAR and, for CIFAR-100, which labels. */
export interface CifarOptions {
  readonly variant: 'cifar10' | 'cifar100';
  /** CIFAR-100 only: the 100 fine classes (default) or the 20 coarse superclasses. */
  readonly labels?: 'fine' | 'coarse';
}

const PIXELS = 32 * 32;

/**
 * Decodes the records of a CIFAR binary batch (Krizhevsky 2009, "the binary version"): CIFAR-10 records are
 * 1 label byte + 3,072 pixel bytes, CIFAR-100 records 1 coarse + 1 fine label byte + 3,072 pixel bytes; pixels are
 * stored channel-major (1,024 red, 1,024 green, 1,024 blue, each 32 × 32 row-major). Features come out as
 * pixel/255 ∈ [0, 1] in height × width × channel order (tfjs' layout), sample shape [32, 32, 3].
 *
 * Errors (`BAD_FORMAT`, naming `source`): a length that is not a whole number of records, a label out of range.
 */
export function parseCifarBinary(
  bytes: Uint8Array,
  options: CifarOptions,
  source = '<cifar>',
): { features: Float32Array; labels: Int32Array } {
  const labelBytes = options.variant === 'cifar10' ? 1 : 2;
  const record = labelBytes + 3 * PIXELS;
  if (bytes.length === 0 || bytes.length % record !== 0) {
    throw new DatasetError(
      'parseCifarBinary',
      'BAD_FORMAT',
      `${source}: expected a whole number of ${record}-byte ${options.variant} records, got ${bytes.length} bytes (${Math.floor(bytes.length / record)} records and ${bytes.length % record} bytes left over: truncated or not ${options.variant})`,
    );
  }
  const n = bytes.length / record;
  const limit = options.variant === 'cifar10' ? 10 : options.labels === 'coarse' ? 20 : 100;
  const labelOffset = options.variant === 'cifar100' && options.labels !== 'coarse' ? 1 : 0;
  const features = new Float32Array(n * 3 * PIXELS);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * record;
    const y = bytes[base + labelOffset];
    if (y >= limit) {
      throw new DatasetError(
        'parseCifarBinary',
        'BAD_FORMAT',
        `${source}: expected labels in [0, ${limit}), got ${y} in record ${i}`,
      );
    }
    labels[i] = y;
    const px = base + labelBytes;
    const out = i * 3 * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      features[out + 3 * p] = bytes[px + p] / 255;
      features[out + 3 * p + 1] = bytes[px + PIXELS + p] / 255;
      features[out + 3 * p + 2] = bytes[px + 2 * PIXELS + p] / 255;
    }
  }
  return { features, labels };
}

const BATCHES = {
  cifar10: {
    folder: 'cifar-10-batches-bin',
    train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
    test: ['test_batch.bin'],
  },
  cifar100: { folder: 'cifar-100-binary', train: ['train.bin'], test: ['test.bin'] },
} as const;

/**
 * CIFAR-10 (60,000 images, 10 classes) or CIFAR-100 (100 fine / 20 coarse classes) from the extracted official
 * binary tarball in `directory` (which holds `cifar-10-batches-bin/` or `cifar-100-binary/`): train batches first,
 * then test, recorded in `predefinedSplit`. Memory: 60,000 × 3,072 float32 ≈ 737 MB.
 */
export async function loadCifar(directory: string, options: CifarOptions): Promise<LabelledData> {
  const spec = BATCHES[options.variant];
  const parts: { features: Float32Array; labels: Int32Array }[] = [];
  let trainCount = 0;
  for (const file of [...spec.train, ...spec.test]) {
    const path = join(directory, spec.folder, file);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw new DatasetError(
        'loadCifar',
        'NOT_FOUND',
        `expected the CIFAR batch ${path}, got ${(cause as Error).message}`,
        { cause },
      );
    }
    const part = parseCifarBinary(bytes, options, path);
    parts.push(part);
    if ((spec.train as readonly string[]).includes(file)) trainCount += part.labels.length;
  }
  const total = parts.reduce((a, p) => a + p.labels.length, 0);
  const features = new Float32Array(total * 3 * PIXELS);
  const labels = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    features.set(p.features, at * 3 * PIXELS);
    labels.set(p.labels, at);
    at += p.labels.length;
  }
  const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  return validateLabelledData(
    {
      name: options.variant,
      features,
      labels,
      sampleShape: [32, 32, 3],
      numClasses: options.variant === 'cifar10' ? 10 : options.labels === 'coarse' ? 20 : 100,
      predefinedSplit: { train: range(0, trainCount), test: range(trainCount, total) },
    },
    'loadCifar',
  );
}
