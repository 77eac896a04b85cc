import sharp from 'sharp';

/** An RGBA colour, 0–255 per channel. */
export type Rgba = readonly [number, number, number, number];

/** One emoji of a fake emoji-data package: its metadata fields and each vendor's drawing (a solid colour, or none). */
export interface FakeEmoji {
  readonly unified: string;
  readonly shortName: string;
  readonly sortOrder: number;
  readonly google?: Rgba;
  readonly twitter?: Rgba;
  /** A skin-tone variant listed under `skin_variations`, whose drawing is written too (and must be ignored). */
  readonly skinVariant?: Rgba;
}

/** A solid-colour 8 × 8 RGBA PNG, encoded by sharp. */
export async function solidPng([r, g, b, a]: Rgba): Promise<Uint8Array> {
  const raw = Buffer.alloc(8 * 8 * 4);
  for (let p = 0; p < 64; p++) raw.set([r, g, b, a], 4 * p);
  return sharp(raw, { raw: { width: 8, height: 8, channels: 4 } })
    .png()
    .toBuffer();
}

/**
 * Test helper: the files of a fake `emoji-datasource-<vendor>` package as the real one lays them out (`emoji.json`,
 * `img/<vendor>/64/<image>`), paths relative to the package folder. Each entry says `has_img_<vendor>` true exactly
 * when the emoji has a drawing by that vendor; skin-tone variants sit under `skin_variations` as in emoji-data.
 */
export async function fakeEmojiPackage(
  vendor: 'google' | 'twitter',
  emoji: readonly FakeEmoji[],
): Promise<{ readonly name: string; readonly data: Uint8Array }[]> {
  const image = (unified: string) => `${unified.toLowerCase()}.png`;
  const entries = emoji.map((e) => ({
    name: e.shortName.toUpperCase(),
    unified: e.unified,
    image: image(e.unified),
    short_name: e.shortName,
    sort_order: e.sortOrder,
    has_img_google: e.google !== undefined,
    has_img_twitter: e.twitter !== undefined,
    ...(e.skinVariant
      ? {
          skin_variations: {
            '1F3FB': { unified: `${e.unified}-1F3FB`, image: image(`${e.unified}-1F3FB`), has_img_google: true },
          },
        }
      : {}),
  }));
  const files: { name: string; data: Uint8Array }[] = [
    { name: 'emoji.json', data: new TextEncoder().encode(JSON.stringify(entries)) },
  ];
  for (const e of emoji) {
    const colour = e[vendor];
    if (colour) files.push({ name: `img/${vendor}/64/${image(e.unified)}`, data: await solidPng(colour) });
    if (e.skinVariant) {
      files.push({ name: `img/${vendor}/64/${image(`${e.unified}-1F3FB`)}`, data: await solidPng(e.skinVariant) });
    }
  }
  return files;
}
