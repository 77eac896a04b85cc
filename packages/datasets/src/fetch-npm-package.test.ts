import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDataset } from './fetch-dataset';
import { fetchNpmPackage, type NpmPackage, npmPack, type PackCommand, sriSha512File } from './fetch-npm-package';
import { loadDataset } from './load-dataset';
import { emojiPackageFolder, loadEmoji } from './load-emoji';
import { type FakeEmoji, fakeEmojiPackage } from './testing/emoji-packages';
import { expectDatasetError } from './testing/expect-dataset-error';
import { localNpmRegistry } from './testing/npm-registry';
import { tarGzBytes } from './testing/tar-bytes';
import { tempFolder } from './testing/temp-folder';

// Two ways to obtain a tarball without the network: the real npm client (`npm pack`) against a registry on 127.0.0.1
// that serves tarballs the test writes, and an injected PackCommand that writes a tarball the test built.
const tmp = tempFolder('npm-pack');
const good = tarGzBytes({
  'package/package.json': JSON.stringify({ name: 'tiny-data', version: '1.0.0' }),
  'package/一.json': '{"medians":[[[0,0],[10,0]]]}',
});
const other = tarGzBytes({ 'package/package.json': JSON.stringify({ name: 'tiny-data', version: '1.0.1' }) });
const sri = (bytes: Uint8Array) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
let registry: Awaited<ReturnType<typeof localNpmRegistry>>;
const npm = () => ({ registry: registry.url, cache: join(tmp.dir, 'npm-cache') });

beforeAll(async () => {
  registry = await localNpmRegistry([
    { name: 'tiny-data', version: '1.0.0', tarball: good },
    { name: 'tiny-data', version: '1.0.1', tarball: other },
  ]);
});
afterAll(() => registry.close());

describe('fetchNpmPackage (npm pack against a local registry)', () => {
  it('packs, verifies the pinned integrity, extracts package/ into <name>-<version>/ and keeps the tarball', async () => {
    const dir = join(tmp.dir, 'good');
    const folder = await fetchNpmPackage(
      { name: 'tiny-data', version: '1.0.0', integrity: sri(good), keepTarball: true },
      dir,
      npm(),
    );
    expect(folder).toBe(join(dir, 'tiny-data-1.0.0'));
    expect(readFileSync(join(folder, '一.json'), 'utf8')).toBe('{"medians":[[[0,0],[10,0]]]}');
    expect(await sriSha512File(join(dir, 'tiny-data-1.0.0.tgz'))).toBe(sri(good));
    // No staging or scratch folder is left behind.
    expect(readdirSync(dir).sort()).toEqual(['tiny-data-1.0.0', 'tiny-data-1.0.0.tgz']);
    expect(registry.requests).toContain('/tiny-data/-/tiny-data-1.0.0.tgz');
    // A second call finds the extracted folder and asks the registry nothing.
    const before = registry.requests.length;
    await fetchNpmPackage({ name: 'tiny-data', version: '1.0.0', integrity: sri(good), keepTarball: true }, dir, npm());
    expect(registry.requests.length).toBe(before);
  });

  it('refuses a tarball whose integrity differs from the pin, and leaves nothing behind', async () => {
    const dir = join(tmp.dir, 'bad');
    // The registry's record matches its tarball (npm accepts it); the pin is another file's.
    await expectDatasetError(
      fetchNpmPackage({ name: 'tiny-data', version: '1.0.1', integrity: sri(good) }, dir, npm()),
      'CHECKSUM_MISMATCH',
      new RegExp(
        `^fetchNpmPackage: expected tiny-data@1\\.0\\.1 to have integrity .*, got ${sri(other).replace(/[+/]/g, '\\$&')}; nothing was kept$`,
      ),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('verifies a tarball already in place instead of fetching it, and refuses a changed one', async () => {
    const dir = join(tmp.dir, 'present');
    tmp.write('present/tiny-data-1.0.0.tgz', good);
    const before = registry.requests.length;
    const folder = await fetchNpmPackage(
      { name: 'tiny-data', version: '1.0.0', integrity: sri(good), keepTarball: true },
      dir,
      npm(),
    );
    expect(existsSync(join(folder, 'package.json'))).toBe(true);
    expect(registry.requests.length).toBe(before);

    const changed = join(tmp.dir, 'changed');
    tmp.write('changed/tiny-data-1.0.0.tgz', other);
    await expectDatasetError(
      fetchNpmPackage({ name: 'tiny-data', version: '1.0.0', integrity: sri(good) }, changed, npm()),
      'CHECKSUM_MISMATCH',
      /tiny-data-1\.0\.0\.tgz to have integrity .*; delete it to fetch again$/,
    );
  });

  it('reports a missing package and a malformed pin as one line', async () => {
    await expectDatasetError(
      fetchNpmPackage({ name: 'no-such-data', version: '1.0.0', integrity: sri(good) }, join(tmp.dir, 'x'), npm()),
      'IO',
      /^fetchNpmPackage: expected `npm pack no-such-data@1\.0\.0` to succeed, got E404: Not Found - GET http:\/\/127\.0\.0\.1:\d+\/no-such-data - Not found$/,
    );
    await expectDatasetError(
      fetchNpmPackage({ name: 'tiny-data', version: '1.0.0', integrity: 'sha1-abc' }, join(tmp.dir, 'y'), npm()),
      'INVALID_ARGUMENT',
      /expected a sha512 integrity/,
    );
  });

  it('refuses an npm tarball without package/package.json', async () => {
    const dir = join(tmp.dir, 'layout');
    const odd = tarGzBytes({ 'other/file.txt': 'x' });
    tmp.write('layout/odd-1.0.0.tgz', odd);
    await expectDatasetError(
      fetchNpmPackage({ name: 'odd', version: '1.0.0', integrity: sri(odd) }, dir, npm()),
      'BAD_FORMAT',
      /odd-1\.0\.0\.tgz: expected an npm tarball with package\/package\.json, got none$/,
    );
    expect(readdirSync(dir)).toEqual(['odd-1.0.0.tgz']);
  });
});

const EMOJI: readonly FakeEmoji[] = [
  { unified: '1F534', shortName: 'red', sortOrder: 1, google: [255, 0, 0, 255], twitter: [200, 0, 0, 255] },
  { unified: '1F535', shortName: 'blue', sortOrder: 2, google: [0, 0, 255, 255], twitter: [0, 0, 200, 255] },
];

const folder = tmp;
const tarballs: Record<'google' | 'twitter', Uint8Array> = { google: new Uint8Array(), twitter: new Uint8Array() };

beforeAll(async () => {
  for (const vendor of ['google', 'twitter'] as const) {
    const files = await fakeEmojiPackage(vendor, EMOJI);
    tarballs[vendor] = tarGzBytes({
      'package/package.json': `{"name":"emoji-datasource-${vendor}"}`,
      ...Object.fromEntries(files.map((f) => [`package/${f.name}`, f.data])),
      // Not needed by the dataset: must not be extracted.
      [`package/img/${vendor}/sheets/64.png`]: new Uint8Array(1000),
    });
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

const googlePackage = (integrity: string): NpmPackage => ({
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
    const destination = join(folder.dir, 'ok', 'emoji-datasource-google-16.0.0');
    const returned = await fetchNpmPackage(googlePackage(sri(tarballs.google)), join(folder.dir, 'ok'), {
      pack,
      onMessage: (line) => messages.push(line),
    });
    expect(returned).toBe(destination);
    expect(pack.specs).toEqual(['emoji-datasource-google@16.0.0']);
    expect(readdirSync(destination).sort()).toEqual(['emoji.json', 'img', 'package.json']);
    expect(readdirSync(join(destination, 'img', 'google'))).toEqual(['64']);
    expect(readdirSync(join(destination, 'img', 'google', '64')).sort()).toEqual(['1f534.png', '1f535.png']);
    // Only the package folder remains: no tarball, no partial folder.
    expect(readdirSync(join(folder.dir, 'ok'))).toEqual(['emoji-datasource-google-16.0.0']);
    expect(messages).toEqual([
      expect.stringMatching(/^emoji-datasource-google@16\.0\.0: npm pack \(0\.0 MB\)$/),
      'emoji-datasource-google@16.0.0: integrity sha512 verified',
      `emoji-datasource-google@16.0.0: 4 files extracted into ${destination}`,
    ]);
    await fetchNpmPackage(googlePackage(sri(tarballs.google)), join(folder.dir, 'ok'), { pack });
    expect(pack.specs).toHaveLength(1);
  });

  it('keeps nothing when the integrity differs, the pack fails or nothing matches; removes an old partial folder', async () => {
    const parent = join(folder.dir, 'bad');
    mkdirSync(join(parent, 'emoji-datasource-google-16.0.0.partial-killed'), { recursive: true });
    const wrong = sri(tarballs.twitter);
    await expectDatasetError(
      fetchNpmPackage(googlePackage(wrong), parent, { pack: fakePack(() => tarballs.google) }),
      'CHECKSUM_MISMATCH',
      new RegExp(
        `^fetchNpmPackage: expected emoji-datasource-google@16\\.0\\.0 to have integrity ${wrong.replace(/[+/]/g, '\\$&')}, got ${sri(tarballs.google).replace(/[+/]/g, '\\$&')}; nothing was kept$`,
      ),
    );
    expect(readdirSync(parent)).toEqual([]);
    await expectDatasetError(
      fetchNpmPackage(googlePackage(wrong), parent, { pack: fakePack(() => new Error('E404 not found')) }),
      'IO',
      /^fetchNpmPackage: expected `npm pack emoji-datasource-google@16\.0\.0` to succeed, got E404 not found$/,
    );
    expect(readdirSync(parent)).toEqual([]);
    const noMatch = { ...googlePackage(sri(tarballs.twitter)), extract: /^package\/nothing$/ };
    await expectDatasetError(
      fetchNpmPackage(noMatch, parent, { pack: fakePack(() => tarballs.twitter) }),
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
      name: 'eb-local-fixture',
      version: '1.2.3',
      integrity: sri(bytes),
      bytes: bytes.length,
      extract: /^package\/emoji\.json$/,
    };
    const destination = await fetchNpmPackage(pkg, join(folder.dir, 'unpacked'), {
      pack: (_spec, dir) => npmPack(source, dir),
    });
    expect(destination).toBe(join(folder.dir, 'unpacked', 'eb-local-fixture-1.2.3'));
    expect(readdirSync(destination)).toEqual(['emoji.json']);
  });
});

describe('fetchDataset("emoji")', () => {
  it('packs both vendors against the pinned integrities: a different tarball is refused and nothing is written', async () => {
    const dataDir = join(folder.dir, 'cache');
    const pack = fakePack((spec) => (spec.includes('google') ? tarballs.google : tarballs.twitter));
    await expectDatasetError(
      fetchDataset('emoji', { dataDir, npm: { pack } }),
      'CHECKSUM_MISMATCH',
      /^fetchNpmPackage: expected emoji-datasource-google@16\.0\.0 to have integrity sha512-ZRexfzs7/,
    );
    expect(pack.specs).toEqual(['emoji-datasource-google@16.0.0']);
    expect(readdirSync(join(dataDir, 'emoji'))).toEqual([]);
    await expectDatasetError(
      loadDataset('emoji', { dataDir, download: true, npm: { pack } }),
      'CHECKSUM_MISMATCH',
      /integrity sha512-ZRexfzs7/,
    );
    expect(existsSync(emojiPackageFolder(join(dataDir, 'emoji'), 'google'))).toBe(false);
  });

  it('the two fetched packages load as the dataset', async () => {
    const dir = join(folder.dir, 'both');
    for (const vendor of ['google', 'twitter'] as const) {
      const pkg = {
        ...googlePackage(sri(tarballs[vendor])),
        name: `emoji-datasource-${vendor}`,
        extract: new RegExp(`^package/(emoji\\.json|img/${vendor}/64/[^/]+\\.png)$`),
      };
      const into = await fetchNpmPackage(pkg, dir, { pack: fakePack(() => tarballs[vendor]) });
      expect(into).toBe(emojiPackageFolder(dir, vendor));
    }
    const data = await loadEmoji(dir, { imageSize: 2 });
    expect(data.classNames).toEqual(['red', 'blue']);
    expect(Array.from(data.domains!)).toEqual([0, 1, 0, 1]);
    // Red by Twitter: (200, 0, 0) / 255 in every pixel.
    expect(Array.from(data.features.subarray(12, 15)).map((v) => Math.round(v * 255))).toEqual([200, 0, 0]);
  });
});
