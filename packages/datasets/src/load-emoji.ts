import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { causeText, DatasetError } from './dataset-error';
import { npmPackageFolder } from './fetch-npm-package';
import { type HashedFile, readHashedFile } from './hashed-file';
import { type LabelledData, validateLabelledData } from './labelled-data';
import { PUBLISHED_PACKAGES } from './published-files';
import { IN_FLIGHT, loadSharp } from './read-image-folder';

/** The vendors whose drawings the `emoji` dataset pairs, in domain order (domain 0 = Google, 1 = Twitter). */
export const EMOJI_VENDORS = ['google', 'twitter'] as const;

/** One vendor of {@link EMOJI_VENDORS}. */
export type EmojiVendor = (typeof EMOJI_VENDORS)[number];

/** Options of {@link loadEmoji}. */
export interface EmojiOptions {
  /**
   * Side of the square images, in pixels (the 64-px drawings are resized). Default 32: what the CLI's convolutional
   * trunk is sized for (as CIFAR), and a quarter of the 64-px pixels keeps a CPU epoch short.
   */
  readonly imageSize?: number;
  /**
   * 3 (RGB, default) or 1 (grey). Colour is most of what two vendors' drawings of one emoji share (the yellow face,
   * the red heart, a flag's colours), so grey makes the task much harder.
   */
  readonly channels?: 1 | 3;
}

/** The fields of an emoji-data `emoji.json` entry the loader reads. */
interface EmojiEntry {
  readonly unified: string;
  readonly short_name: string;
  readonly image: string;
  readonly sort_order: number;
  readonly [hasImage: `has_img_${string}`]: boolean | undefined;
}

/**
 * The folder of a vendor's package inside the dataset folder: `<directory>/emoji-datasource-<vendor>-16.0.0`, where
 * `fetchDataset('emoji')` extracts the pinned package (`PUBLISHED_PACKAGES.emoji`), or else
 * `<directory>/emoji-datasource-<vendor>` when that is there, as `npm install` lays out `node_modules`.
 */
export function emojiPackageFolder(directory: string, vendor: EmojiVendor): string {
  const pkg = PUBLISHED_PACKAGES.emoji.find((p) => p.name === `emoji-datasource-${vendor}`)!;
  const fetched = npmPackageFolder(directory, pkg);
  const installed = join(directory, pkg.name);
  return !existsSync(fetched) && existsSync(installed) ? installed : fetched;
}

async function readMetadata(directory: string, vendor: EmojiVendor, component: string): Promise<EmojiEntry[]> {
  const path = join(emojiPackageFolder(directory, vendor), 'emoji.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DatasetError(
      component,
      missing ? 'NOT_FOUND' : 'IO',
      `expected the emoji-datasource-${vendor} metadata at ${path}, got ${missing ? 'no such file; fetch it with `bregman data fetch emoji`' : causeText(cause)}`,
      { cause },
    );
  }
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (cause) {
    throw new DatasetError(component, 'BAD_FORMAT', `${path}: expected JSON, got ${causeText(cause)}`, { cause });
  }
  if (!Array.isArray(entries)) {
    throw new DatasetError(component, 'BAD_FORMAT', `${path}: expected an array of emoji, got ${typeof entries}`);
  }
  entries.forEach((e: Partial<EmojiEntry>, i) => {
    const ok =
      typeof e === 'object' &&
      e !== null &&
      typeof e.unified === 'string' &&
      typeof e.short_name === 'string' &&
      typeof e.image === 'string' &&
      /^[0-9a-f-]+\.png$/.test(e.image) &&
      typeof e.sort_order === 'number';
    if (!ok) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${path}: expected entry ${i} to have unified, short_name, image (<hex>.png) and sort_order, got ${JSON.stringify(e).slice(0, 120)}`,
      );
    }
  });
  return entries as EmojiEntry[];
}

/**
 * The emoji drawn by two vendors (the npm packages `emoji-datasource-google` and `emoji-datasource-twitter`, as
 * `bregman data fetch emoji` extracts them into `directory`, or as `npm install` puts them in `node_modules`): one
 * class per emoji, one sample per vendor's 64-px drawing, resized to `imageSize`² with alpha composited onto white
 * (the drawings are meant for light backgrounds), pixels / 255, [size, size, channels]. `domains` says which vendor
 * drew each sample (`domainNames` = {@link EMOJI_VENDORS}), so a retrieval protocol can query one vendor's drawings
 * against the other's.
 *
 * The classes are the emoji of `emoji.json` (skin-tone variants, listed under `skin_variations`, are not entries and
 * are left out) that both vendors draw (`has_img_<vendor>`), in emoji order (`sort_order`); an emoji whose drawing is
 * byte-identical to an earlier emoji's drawing by the same vendor is left out too, since no method could tell them
 * apart (flags shared by territories, 🇫🇷 and 🇲🇫; Twemoji's one drawing for every two-parent family). Class names are
 * the `short_name`s; samples are class-major, Google then Twitter.
 *
 * ```ts
 * const emoji = await loadEmoji(join(dataDirectory(), 'emoji'), { imageSize: 32 });
 * emoji.sampleShape;  // [32, 32, 3]
 * emoji.domainNames;  // ['google', 'twitter']
 * ```
 */
export async function loadEmoji(directory: string, options: EmojiOptions = {}): Promise<LabelledData> {
  const component = 'loadEmoji';
  const size = options.imageSize ?? 32;
  const channels = options.channels ?? 3;
  if (!Number.isInteger(size) || size < 1 || size > 1024) {
    throw new DatasetError(component, 'INVALID_ARGUMENT', `expected imageSize an integer in [1, 1024], got ${size}`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new DatasetError(component, 'INVALID_ARGUMENT', `expected channels 1 or 3, got ${String(channels)}`);
  }
  const metadata = await Promise.all(EMOJI_VENDORS.map((vendor) => readMetadata(directory, vendor, component)));
  const drawnBy = EMOJI_VENDORS.map(
    (vendor, v) =>
      new Set(metadata[v]!.filter((e) => e[`has_img_${vendor}`] === true).map((e) => e.unified.toUpperCase())),
  );
  const candidates = [...metadata[0]!]
    .filter((e) => drawnBy.every((set) => set.has(e.unified.toUpperCase())))
    .sort((a, b) => a.sort_order - b.sort_order);

  // Read every drawing (hashed), then keep an emoji only if neither vendor's drawing repeats a kept one's.
  const files: HashedFile[][] = [];
  for (let start = 0; start < candidates.length; start += IN_FLIGHT * 4) {
    const batch = candidates.slice(start, start + IN_FLIGHT * 4);
    files.push(
      ...(await Promise.all(
        batch.map((e) =>
          Promise.all(
            EMOJI_VENDORS.map((vendor) =>
              readHashedFile(join(emojiPackageFolder(directory, vendor), 'img', vendor, '64', e.image), component),
            ),
          ),
        ),
      )),
    );
  }
  const seen = EMOJI_VENDORS.map(() => new Set<string>());
  const kept: { entry: EmojiEntry; files: HashedFile[] }[] = [];
  candidates.forEach((entry, i) => {
    const drawings = files[i]!;
    if (drawings.some((f, v) => seen[v]!.has(f.sha256))) return;
    drawings.forEach((f, v) => {
      seen[v]!.add(f.sha256);
    });
    kept.push({ entry, files: drawings });
  });
  if (kept.length < 2) {
    throw new DatasetError(
      component,
      'BAD_FORMAT',
      `${directory}: expected at least 2 emoji drawn by both ${EMOJI_VENDORS.join(' and ')}, got ${kept.length}`,
    );
  }

  const sharp = await loadSharp(component);
  const d = size * size * channels;
  const n = kept.length * EMOJI_VENDORS.length;
  const features = new Float32Array(n * d);
  const labels = new Int32Array(n);
  const domains = new Int32Array(n);
  const jobs = kept.flatMap(({ files: drawings }, c) => drawings.map((file, v) => ({ file, c, v })));
  const decode = async ({ file, c, v }: (typeof jobs)[number]): Promise<void> => {
    let pixels: Uint8Array;
    try {
      // Flattened before the resize, so transparent pixels (whose colour is arbitrary) never bleed into edges.
      pixels = await sharp(file.bytes)
        .flatten({ background: '#ffffff' })
        .resize(size, size, { fit: 'fill' })
        .toColourspace(channels === 1 ? 'b-w' : 'srgb')
        .raw({ depth: 'uchar' })
        .toBuffer();
    } catch (cause) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${file.path}: expected a readable PNG, got ${causeText(cause)}`,
        {
          cause,
        },
      );
    }
    if (pixels.length !== d) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${file.path}: expected ${d} values after decoding, got ${pixels.length}`,
      );
    }
    const i = c * EMOJI_VENDORS.length + v;
    for (let k = 0; k < d; k++) features[i * d + k] = pixels[k]! / 255;
    labels[i] = c;
    domains[i] = v;
  };
  for (let start = 0; start < jobs.length; start += IN_FLIGHT) {
    await Promise.all(jobs.slice(start, start + IN_FLIGHT).map(decode));
  }
  return validateLabelledData(
    {
      name: 'emoji',
      features,
      labels,
      sampleShape: [size, size, channels],
      numClasses: kept.length,
      classNames: kept.map(({ entry }) => entry.short_name),
      domains,
      domainNames: [...EMOJI_VENDORS],
    },
    component,
  );
}
