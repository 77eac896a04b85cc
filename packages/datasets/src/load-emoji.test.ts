import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listDatasets, loadDataset } from './load-dataset';
import { emojiPackageFolder, loadEmoji } from './load-emoji';
import { type FakeEmoji, fakeEmojiPackage } from './testing/emoji-packages';
import { expectDatasetError } from './testing/expect-dataset-error';
import { tempFolder } from './testing/temp-folder';

// Four emoji in the file's order, sorted by sort_order: blue (1), red (2), ghost (3), then a flag whose Twitter
// drawing is byte-identical to red's (dropped), and one Google alone draws (dropped). Red has a skin-tone variant.
const EMOJI: readonly FakeEmoji[] = [
  {
    unified: '1F534',
    shortName: 'red',
    sortOrder: 2,
    google: [255, 0, 0, 255],
    twitter: [200, 0, 0, 255],
    skinVariant: [1, 2, 3, 255],
  },
  { unified: '1F535', shortName: 'blue', sortOrder: 1, google: [0, 0, 255, 255], twitter: [0, 0, 255, 51] },
  { unified: '1F47B', shortName: 'ghost', sortOrder: 3, google: [0, 0, 0, 0], twitter: [100, 100, 100, 255] },
  { unified: '1F1EB-1F1F7', shortName: 'same-flag', sortOrder: 4, google: [0, 255, 0, 255], twitter: [200, 0, 0, 255] },
  { unified: '1FAE8', shortName: 'google-only', sortOrder: 5, google: [9, 9, 9, 255] },
];

const folder = tempFolder('emoji');
/** Writes both packages into `dir` as `fetchDataset` lays them out (`<name>-16.0.0`), or as `npm install` does. */
async function writePackages(dir: string, emoji: readonly FakeEmoji[] = EMOJI, installed = false): Promise<number> {
  let bytes = 0;
  for (const vendor of ['google', 'twitter'] as const) {
    const pkg = installed ? `emoji-datasource-${vendor}` : `emoji-datasource-${vendor}-16.0.0`;
    for (const file of await fakeEmojiPackage(vendor, emoji)) {
      folder.write(join(dir, pkg, file.name), file.data);
      bytes += file.data.length;
    }
  }
  return bytes;
}

/** Pixel (row 0, col 0) of sample i, every channel. */
const pixel = (features: Float32Array, i: number, d: number, channels: number) =>
  Array.from(features.subarray(i * d, i * d + channels));

beforeAll(async () => {
  await writePackages('packages');
});

describe('loadEmoji', () => {
  it('pairs the two vendors per emoji, in emoji order, skipping variants, one-vendor and duplicate drawings', async () => {
    const data = await loadEmoji(join(folder.dir, 'packages'), { imageSize: 4 });
    expect(data.classNames).toEqual(['blue', 'red', 'ghost']);
    expect(data.numClasses).toBe(3);
    expect(data.sampleShape).toEqual([4, 4, 3]);
    expect(Array.from(data.labels)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(data.domains!)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(data.domainNames).toEqual(['google', 'twitter']);
    // Alpha composited onto white: c·α + 255·(1 − α); α = 51/255 = 0.2 gives 0·0.2 + 255·0.8 = 204.
    const expected = [
      [0, 0, 1], // blue, Google
      [204 / 255, 204 / 255, 1], // blue, Twitter, α = 0.2
      [1, 0, 0], // red, Google
      [200 / 255, 0, 0], // red, Twitter
      [1, 1, 1], // ghost, Google: fully transparent → white
      [100 / 255, 100 / 255, 100 / 255], // ghost, Twitter
    ];
    const d = 4 * 4 * 3;
    expected.forEach((rgb, i) => {
      // A solid image stays solid when resized: every pixel equals the first.
      for (let p = 0; p < 16; p++) {
        pixel(data.features.subarray(3 * p), i, d, 3).forEach((v, c) => {
          expect(v).toBeCloseTo(rgb[c]!, 2);
        });
      }
    });
  });

  it('reads the packages where npm install puts them (no version in the folder names)', async () => {
    await writePackages('node_modules', EMOJI, true);
    const modules = join(folder.dir, 'node_modules');
    expect(emojiPackageFolder(modules, 'twitter')).toBe(join(modules, 'emoji-datasource-twitter'));
    expect(emojiPackageFolder(join(folder.dir, 'packages'), 'twitter')).toBe(
      join(folder.dir, 'packages', 'emoji-datasource-twitter-16.0.0'),
    );
    const data = await loadDataset('emoji', { directory: modules, imageSize: 4 });
    expect(data.classNames).toEqual(['blue', 'red', 'ghost']);
  });

  it('reads grey at another size', async () => {
    const data = await loadEmoji(join(folder.dir, 'packages'), { imageSize: 2, channels: 1 });
    expect(data.sampleShape).toEqual([2, 2, 1]);
    expect(data.features.length).toBe(6 * 4);
    // Grey (100, 100, 100) is 100 under any luminance weights summing to 1; transparent is white.
    expect(data.features[5 * 4]).toBeCloseTo(100 / 255, 2);
    expect(data.features[4 * 4]).toBeCloseTo(1, 5);
  });

  it('is what loadDataset("emoji") loads; listDatasets finds it with its size on disk', async () => {
    const bytes = await writePackages(join('cache', 'emoji'));
    const viaCatalogue = await loadDataset('emoji', { dataDir: join(folder.dir, 'cache'), imageSize: 4 });
    expect(viaCatalogue.classNames).toEqual(['blue', 'red', 'ghost']);
    expect(viaCatalogue.sampleShape).toEqual([4, 4, 3]);
    const listing = listDatasets({ dataDir: join(folder.dir, 'cache'), sizes: true }).find((d) => d.name === 'emoji')!;
    expect(listing).toMatchObject({
      available: true,
      location: join(folder.dir, 'cache', 'emoji'),
      bytesOnDisk: bytes,
    });
    expect(listing.attribution).toMatch(/Twemoji.*CC BY 4\.0/);
    const elsewhere = listDatasets({ dataDir: join(folder.dir, 'nothing-here'), sizes: true }).find(
      (d) => d.name === 'emoji',
    )!;
    expect(elsewhere.available).toBe(false);
    await expectDatasetError(
      loadDataset('emoji', { dataDir: join(folder.dir, 'nothing-here') }),
      'NOT_FOUND',
      /^loadDataset: expected the emoji files in .*nothing-here\/emoji, got none; pass \{ download: true \}/,
    );
  });

  it('refuses a missing package, bad metadata, a missing drawing and bad options, one line each', async () => {
    await writePackages('one-vendor');
    rmSync(emojiPackageFolder(join(folder.dir, 'one-vendor'), 'twitter'), { recursive: true });
    await expectDatasetError(
      loadEmoji(join(folder.dir, 'one-vendor')),
      'NOT_FOUND',
      /^loadEmoji: expected the emoji-datasource-twitter metadata at .*emoji\.json, got no such file; fetch it with `bregman data fetch emoji`$/,
    );
    await writePackages('bad-json');
    writeFileSync(join(emojiPackageFolder(join(folder.dir, 'bad-json'), 'google'), 'emoji.json'), '[{"unified": ');
    await expectDatasetError(loadEmoji(join(folder.dir, 'bad-json')), 'BAD_FORMAT', /emoji\.json: expected JSON, got/);
    writeFileSync(
      join(emojiPackageFolder(join(folder.dir, 'bad-json'), 'google'), 'emoji.json'),
      '[{"unified": "1F534"}]',
    );
    await expectDatasetError(
      loadEmoji(join(folder.dir, 'bad-json')),
      'BAD_FORMAT',
      /emoji\.json: expected entry 0 to have unified, short_name, image/,
    );
    await writePackages('missing-png');
    rmSync(join(emojiPackageFolder(join(folder.dir, 'missing-png'), 'google'), 'img', 'google', '64', '1f47b.png'));
    await expectDatasetError(
      loadEmoji(join(folder.dir, 'missing-png')),
      'NOT_FOUND',
      /^loadEmoji: expected a readable file at .*google\/64\/1f47b\.png, got no such file/,
    );
    await writePackages('corrupt-png');
    writeFileSync(
      join(emojiPackageFolder(join(folder.dir, 'corrupt-png'), 'twitter'), 'img', 'twitter', '64', '1f534.png'),
      'no',
    );
    await expectDatasetError(
      loadEmoji(join(folder.dir, 'corrupt-png')),
      'BAD_FORMAT',
      /1f534\.png: expected a readable PNG/,
    );
    await expectDatasetError(
      loadEmoji(join(folder.dir, 'packages'), { imageSize: 0 }),
      'INVALID_ARGUMENT',
      /^loadEmoji: expected imageSize an integer in \[1, 1024\], got 0$/,
    );
  });
});
