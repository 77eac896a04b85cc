import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Sharp, SharpOptions } from 'sharp';
import type { DataFileContents } from './data-file-contents';
import { causeText, DatasetError } from './dataset-error';
import { readHashedFile } from './hashed-file';
import type { ImageFit } from './input-spec';

/** The image files an image folder may hold. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** Options of {@link readImageFolder}. */
export interface ImageFolderOptions {
  /** Resize every image to height × width. Default: none (every image must then have the same size). */
  readonly imageSize?: readonly [height: number, width: number];
  /** 1 (grey) or 3 (RGB). Default: 1 when every image is greyscale, else 3. */
  readonly channels?: 1 | 3;
  /** How images reach `imageSize`. Default `'cover'`. */
  readonly fit?: ImageFit;
}

/** sharp's default export, as {@link loadSharp} returns it. */
export type SharpFactory = (input: Uint8Array, options?: SharpOptions) => Sharp;

/**
 * Loaded on first use: sharp is a native addon (libvips), and importing `@empirical-bregman/datasets` for tabular data
 * or in a browser bundle must not load it.
 */
export async function loadSharp(component: string): Promise<SharpFactory> {
  try {
    const module = (await import('sharp')) as unknown as { default: SharpFactory };
    return module.default;
  } catch (cause) {
    throw new DatasetError(
      component,
      'UNAVAILABLE',
      `expected the image library sharp to load, got ${causeText(cause)}`,
      { cause },
    );
  }
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A folder's visible entries (not starting with '.') in code-unit order, and which are folders; fs errors as `IO`. */
async function listFolder(folder: string, component: string): Promise<{ name: string; isFolder: boolean }[]> {
  try {
    const names = (await readdir(folder)).filter((name) => !name.startsWith('.')).sort(byCodeUnits);
    // stat, not the dirent type: a symbolic link to a class folder or an image counts as what it points to.
    return await Promise.all(
      names.map(async (name) => ({ name, isFolder: (await stat(join(folder, name))).isDirectory() })),
    );
  } catch (cause) {
    throw new DatasetError(component, 'IO', `${folder}: expected a readable folder, got ${causeText(cause)}`, {
      cause,
    });
  }
}

/** Work in flight at once: sharp decodes on libuv's pool (4 threads by default), so more only queues. */
export const IN_FLIGHT = 4;

interface DecodedImage {
  readonly path: string;
  readonly sha256: string;
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

/**
 * A folder with one sub-folder per class (its name is the class name) of PNG/JPEG images, decoded with sharp: EXIF
 * orientation applied, alpha composited onto black, resized to `imageSize` if given, converted to grey or sRGB,
 * pixels / 255, sample shape [height, width, channels]. Samples are in class-folder order, then file-name order.
 *
 * Hidden entries (`.DS_Store`, `.git`) are skipped, and so are plain files beside the class folders (a README); an
 * image beside them, a folder inside a class folder, a file of another type in a class folder, an empty class folder,
 * an image sharp cannot decode, and differing image sizes without `imageSize` are `BAD_FORMAT` errors naming the file.
 */
export async function readImageFolder(
  root: string,
  options: ImageFolderOptions,
  component = 'readImageFolder',
): Promise<DataFileContents> {
  const fail = (message: string): never => {
    throw new DatasetError(component, 'BAD_FORMAT', message);
  };
  const isImage = (name: string) => (IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
  const classes: string[] = [];
  for (const { name, isFolder } of await listFolder(root, component)) {
    if (isFolder) classes.push(name);
    else if (isImage(name)) fail(`${join(root, name)}: expected images inside class folders, got one beside them`);
  }
  if (classes.length === 0) {
    fail(`${root}: expected one sub-folder of images per class, got no sub-folders`);
  }
  const samples: { path: string; className: string }[] = [];
  for (const className of classes) {
    const folder = join(root, className);
    const files = await listFolder(folder, component);
    for (const { name, isFolder } of files) {
      const path = join(folder, name);
      if (isFolder) fail(`${path}: expected image files in the class folder, got a folder`);
      if (!isImage(name)) {
        fail(`${path}: expected a ${IMAGE_EXTENSIONS.join(', ')} image in the class folder, got another kind of file`);
      }
      samples.push({ path, className });
    }
    if (!files.length) fail(`${folder}: expected images of class ${JSON.stringify(className)}, got an empty folder`);
  }

  const sharp = await loadSharp(component);
  const decodeOne = async (path: string): Promise<DecodedImage> => {
    const file = await readHashedFile(path, component);
    try {
      const meta = await sharp(file.bytes).metadata();
      if (meta.format !== 'png' && meta.format !== 'jpeg') {
        fail(`${path}: expected a PNG or JPEG image, got ${meta.format ?? 'an unknown format'}`);
      }
      const grey = meta.space === 'b-w' || meta.space === 'grey16';
      const channels = options.channels ?? (grey ? 1 : 3);
      let pipeline = sharp(file.bytes).autoOrient().flatten({ background: '#000000' });
      if (options.imageSize) {
        const [height, width] = options.imageSize;
        pipeline = pipeline.resize(width, height, { fit: options.fit ?? 'cover', background: '#000000' });
      }
      // Explicit colourspaces: 16-bit images are scaled to 8 bits and CMYK JPEGs converted, not cast or passed through.
      pipeline = pipeline.toColourspace(channels === 1 ? 'b-w' : 'srgb');
      const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      if (info.channels !== channels) {
        fail(`${path}: expected ${channels} channels after conversion, got ${info.channels}`);
      }
      return { path: file.path, sha256: file.sha256, pixels: data, width: info.width, height: info.height, channels };
    } catch (cause) {
      if (cause instanceof DatasetError) throw cause;
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${path}: expected a readable PNG or JPEG image, got ${causeText(cause)}`,
        { cause },
      );
    }
  };

  const decoded: DecodedImage[] = new Array(samples.length);
  for (let start = 0; start < samples.length; start += IN_FLIGHT) {
    const batch = samples.slice(start, start + IN_FLIGHT);
    const done = await Promise.all(batch.map((s) => decodeOne(s.path)));
    done.forEach((image, k) => {
      decoded[start + k] = image;
    });
    // Checked as they come, so a folder of mixed sizes fails on the first odd image, not after decoding them all.
    for (const image of done) {
      const first = decoded[0];
      if (image.width !== first.width || image.height !== first.height) {
        fail(
          `${image.path}: expected every image to be ${first.width}×${first.height} like ${first.path}, got ${image.width}×${image.height} (give imageSize to resize them)`,
        );
      }
    }
  }
  const { width, height } = decoded[0];
  const channels: 1 | 3 = options.channels ?? (decoded.every((image) => image.channels === 1) ? 1 : 3);
  const d = width * height * channels;
  const features = new Float32Array(decoded.length * d);
  decoded.forEach((image, i) => {
    const base = i * d;
    if (image.channels === channels) {
      for (let k = 0; k < d; k++) features[base + k] = image.pixels[k] / 255;
    } else {
      // A grey image among colour ones: its grey value in R, G and B, as sharp's b-w → sRGB conversion gives.
      for (let p = 0; p < width * height; p++) {
        const v = image.pixels[p] / 255;
        features[base + 3 * p] = v;
        features[base + 3 * p + 1] = v;
        features[base + 3 * p + 2] = v;
      }
    }
  });
  return {
    features,
    sampleShape: [height, width, channels],
    rawLabels: samples.map((s) => s.className),
    input: {
      kind: 'image',
      height,
      width,
      channels,
      resize: options.imageSize ? (options.fit ?? 'cover') : 'none',
      divisor: 255,
    },
    files: decoded.map(({ path, sha256 }) => ({ path, sha256 })),
  };
}
