import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchNpmPackage, sriSha512File } from './fetch-npm-package';
import { expectDatasetError } from './testing/expect-dataset-error';
import { localNpmRegistry } from './testing/npm-registry';
import { tarGzBytes } from './testing/tar-bytes';
import { tempFolder } from './testing/temp-folder';

// The real npm client (`npm pack`) against a registry on 127.0.0.1 that serves tarballs the test writes.
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
    const folder = await fetchNpmPackage({ name: 'tiny-data', version: '1.0.0', integrity: sri(good) }, dir, npm());
    expect(folder).toBe(join(dir, 'tiny-data-1.0.0'));
    expect(readFileSync(join(folder, '一.json'), 'utf8')).toBe('{"medians":[[[0,0],[10,0]]]}');
    expect(await sriSha512File(join(dir, 'tiny-data-1.0.0.tgz'))).toBe(sri(good));
    // No staging or scratch folder is left behind.
    expect(readdirSync(dir).sort()).toEqual(['tiny-data-1.0.0', 'tiny-data-1.0.0.tgz']);
    expect(registry.requests).toContain('/tiny-data/-/tiny-data-1.0.0.tgz');
    // A second call finds the extracted folder and asks the registry nothing.
    const before = registry.requests.length;
    await fetchNpmPackage({ name: 'tiny-data', version: '1.0.0', integrity: sri(good) }, dir, npm());
    expect(registry.requests.length).toBe(before);
  });

  it('refuses a tarball whose integrity differs from the pin, and leaves nothing behind', async () => {
    const dir = join(tmp.dir, 'bad');
    // The registry's record matches its tarball (npm accepts it); the pin is another file's.
    await expectDatasetError(
      fetchNpmPackage({ name: 'tiny-data', version: '1.0.1', integrity: sri(good) }, dir, npm()),
      'CHECKSUM_MISMATCH',
      new RegExp(
        `^fetchNpmPackage: expected tiny-data@1\\.0\\.1 to have integrity .*, got ${sri(other).replace(/[+/]/g, '\\$&')}; the tarball was deleted$`,
      ),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('verifies a tarball already in place instead of fetching it, and refuses a changed one', async () => {
    const dir = join(tmp.dir, 'present');
    tmp.write('present/tiny-data-1.0.0.tgz', good);
    const before = registry.requests.length;
    const folder = await fetchNpmPackage({ name: 'tiny-data', version: '1.0.0', integrity: sri(good) }, dir, npm());
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
