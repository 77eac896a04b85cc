import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadDataFiles } from './load-data-files';
import { expectDatasetError } from './testing/expect-dataset-error';
import { tempFolder } from './testing/temp-folder';

const { dir, write } = tempFolder('images');

/** A PNG of raw pixels, greyscale (1 channel) or RGB (3), written by sharp. */
async function png(width: number, height: number, channels: 1 | 3, pixels: number[]): Promise<Buffer> {
  const image = sharp(Buffer.from(pixels), { raw: { width, height, channels } });
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}

const grey = (seed: number) => Array.from({ length: 6 }, (_, i) => (seed * 40 + i * 37) % 256);

describe('loadDataFiles: image folder', () => {
  it('reads grey PNGs class by class as [height, width, 1] in [0, 1], skipping hidden files and loose non-images', async () => {
    const cats = [grey(1), grey(2)];
    const dogs = [grey(3)];
    write('grey/cat/b.png', await png(3, 2, 1, cats[1]));
    write('grey/cat/a.png', await png(3, 2, 1, cats[0]));
    write('grey/dog/c.png', await png(3, 2, 1, dogs[0]));
    write('grey/dog/.DS_Store', 'junk');
    write('grey/README.txt', 'about these images');
    const data = await loadDataFiles(join(dir, 'grey'));
    expect(data.format).toBe('image-folder');
    expect(data.name).toBe('grey');
    expect(data.sampleShape).toEqual([2, 3, 1]);
    expect(data.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(data.labels)).toEqual([0, 0, 1]);
    expect(Array.from(data.features)).toEqual([...cats[0], ...cats[1], ...dogs[0]].map((p) => Math.fround(p / 255)));
    expect(data.files).toEqual(['cat/a.png', 'cat/b.png', 'dog/c.png'].map((f) => join(dir, 'grey', f)));
    expect(data.input).toEqual({ kind: 'image', height: 2, width: 3, channels: 1, resize: 'none', divisor: 255 });
  });

  it('reads RGB PNGs and JPEGs as [height, width, 3]; a grey image among them becomes grey R = G = B', async () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];
    write('rgb/1/red.png', await png(2, 2, 3, rgb));
    write('rgb/2/grey.png', await png(2, 2, 1, [0, 100, 200, 255]));
    write(
      'rgb/2/photo.jpg',
      await sharp(Buffer.from(rgb), { raw: { width: 2, height: 2, channels: 3 } })
        .jpeg()
        .toBuffer(),
    );
    const data = await loadDataFiles(join(dir, 'rgb'));
    expect(data.sampleShape).toEqual([2, 2, 3]);
    expect(data.input).toMatchObject({ channels: 3 });
    expect(Array.from(data.features.subarray(0, 12))).toEqual(rgb.map((p) => Math.fround(p / 255)));
    expect(Array.from(data.features.subarray(12, 24))).toEqual(
      [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255].map((p) => Math.fround(p / 255)),
    );
    const jpeg = data.features.subarray(24, 36);
    expect(jpeg.every((v) => v >= 0 && v <= 1)).toBe(true);
    const asGrey = await loadDataFiles(join(dir, 'rgb'), { channels: 1 });
    expect(asGrey.sampleShape).toEqual([2, 2, 1]);
    expect(Array.from(asGrey.features.subarray(4, 8))).toEqual([0, 100, 200, 255].map((p) => Math.fround(p / 255)));
  });

  it('resizes to imageSize (square or [height, width]); mixed sizes need it', async () => {
    write('mixed/a/small.png', await png(2, 2, 1, [0, 50, 100, 150]));
    write(
      'mixed/b/wide.png',
      await png(
        6,
        3,
        3,
        Array.from({ length: 54 }, (_, i) => (i * 7) % 256),
      ),
    );
    await expectDatasetError(
      loadDataFiles(join(dir, 'mixed')),
      'BAD_FORMAT',
      /wide\.png: expected every image to be 2×2 like .*small\.png, got 6×3 \(give imageSize to resize them\)/,
    );
    const square = await loadDataFiles(join(dir, 'mixed'), { imageSize: 4 });
    expect(square.sampleShape).toEqual([4, 4, 3]);
    expect(square.features.length).toBe(2 * 4 * 4 * 3);
    expect(square.features.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(square.input).toEqual({ kind: 'image', height: 4, width: 4, channels: 3, resize: 'cover', divisor: 255 });
    const tall = await loadDataFiles(join(dir, 'mixed'), { imageSize: [5, 2], channels: 1, fit: 'fill' });
    expect(tall.sampleShape).toEqual([5, 2, 1]);
    expect(tall.input).toMatchObject({ height: 5, width: 2, channels: 1, resize: 'fill' });
  });

  it('refuses a corrupt image (naming it), empty class folders, other files, loose images, one class', async () => {
    const ok = await png(2, 2, 1, [1, 2, 3, 4]);
    write('corrupt/a/1.png', ok);
    write('corrupt/b/2.png', ok.subarray(0, ok.length / 2));
    await expectDatasetError(
      loadDataFiles(join(dir, 'corrupt')),
      'BAD_FORMAT',
      /corrupt\/b\/2\.png: expected a readable PNG or JPEG image, got /,
    );
    const jpeg = await sharp(Buffer.alloc(64 * 64 * 3, 90), { raw: { width: 64, height: 64, channels: 3 } })
      .jpeg()
      .toBuffer();
    write('truncated/a/1.png', ok);
    write('truncated/b/2.jpg', jpeg.subarray(0, Math.floor(jpeg.length * 0.8)));
    await expectDatasetError(
      loadDataFiles(join(dir, 'truncated')),
      'BAD_FORMAT',
      /truncated\/b\/2\.jpg: expected a readable PNG or JPEG image, got /,
    );
    write('notimage/a/1.png', ok);
    write('notimage/b/2.png', 'this is text');
    await expectDatasetError(
      loadDataFiles(join(dir, 'notimage')),
      'BAD_FORMAT',
      /notimage\/b\/2\.png: expected a readable PNG/,
    );
    write('emptyclass/a/1.png', ok);
    write('emptyclass/b/.hidden', 'x');
    await expectDatasetError(
      loadDataFiles(join(dir, 'emptyclass')),
      'BAD_FORMAT',
      /emptyclass\/b: expected images of class "b", got an empty folder/,
    );
    write('other/a/1.png', ok);
    write('other/b/notes.txt', 'x');
    await expectDatasetError(
      loadDataFiles(join(dir, 'other')),
      'BAD_FORMAT',
      /other\/b\/notes\.txt: expected a \.png, \.jpg, \.jpeg image in the class folder, got another kind of file/,
    );
    write('loose/a/1.png', ok);
    write('loose/b/2.png', ok);
    write('loose/3.png', ok);
    await expectDatasetError(
      loadDataFiles(join(dir, 'loose')),
      'BAD_FORMAT',
      /loose\/3\.png: expected images inside class folders/,
    );
    write('nested/a/1.png', ok);
    write('nested/b/deeper/2.png', ok);
    await expectDatasetError(
      loadDataFiles(join(dir, 'nested')),
      'BAD_FORMAT',
      /nested\/b\/deeper: expected image files in the class folder, got a folder/,
    );
    write('single/only/1.png', ok);
    write('single/only/2.png', ok);
    await expectDatasetError(
      loadDataFiles(join(dir, 'single')),
      'BAD_FORMAT',
      /expected at least two classes, got one \("only"\) in 2 samples/,
    );
    write('dangling/a/1.png', ok);
    write('dangling/b/2.png', ok);
    symlinkSync(join(dir, 'nowhere.png'), join(dir, 'dangling/b/3.png'));
    await expectDatasetError(
      loadDataFiles(join(dir, 'dangling')),
      'IO',
      /dangling\/b: expected a readable folder, got ENOENT/,
    );
    write('flat/1.txt', 'x');
    await expectDatasetError(
      loadDataFiles(join(dir, 'flat')),
      'BAD_FORMAT',
      /flat: expected one sub-folder of images per class, got no sub-folders/,
    );
  });

  it('loads sharp only when an image folder is read (no static import anywhere in the package)', () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const offenders = sources.filter((f) =>
      /^import\s+(?!type\b)[^;]*from\s+'sharp'/m.test(readFileSync(join(__dirname, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
