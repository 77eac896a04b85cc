// The logic of the prerequisite step, apart from the process it runs in, so that tests can drive it with a fake
// system: which packages are missing, and what to do about it (install, or tell the user the one command).
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const isStrings = (v) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');

/** Reads and checks the manifest (`system-prerequisites.json`): its packages, and `builds` (default none). */
export function readBuilds(path) {
  const builds = JSON.parse(readFileSync(path, 'utf8')).builds ?? [];
  if (!Array.isArray(builds)) throw new Error(`prereqs: expected "builds" to be a list in ${path}`);
  for (const b of builds) {
    const ok =
      typeof b.name === 'string' &&
      typeof b.output === 'string' &&
      isStrings(b.sources) &&
      isStrings(b.command) &&
      typeof b.neededBy === 'string';
    if (!ok)
      throw new Error(
        `prereqs: expected {name, output, sources: [..], command: [..], neededBy} in ${path}, got ${JSON.stringify(b)}`,
      );
  }
  return builds;
}

/** Reads and checks the manifest (`system-prerequisites.json`); returns its packages. */
export function readManifest(path) {
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(manifest.packages)) throw new Error(`prereqs: expected "packages" to be a list in ${path}`);
  for (const p of manifest.packages) {
    const ok =
      typeof p.debian === 'string' &&
      /^[a-z0-9][a-z0-9+.-]+$/.test(p.debian) &&
      p.present &&
      ['file', 'command', 'library'].some((kind) => typeof p.present[kind] === 'string') &&
      typeof p.neededBy === 'string';
    if (!ok)
      throw new Error(
        `prereqs: expected {debian, present: {file|command|library}, neededBy} in ${path}, got ${JSON.stringify(p)}`,
      );
  }
  readBuilds(path);
  return manifest.packages;
}

/** True when `name` is an executable file in one of the PATH folders. */
export function commandOnPath(name, pathVariable = process.env.PATH ?? '') {
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/**
 * The folders the linker searches by default: /usr/local/lib, /usr/lib, /lib (and their 64-bit twins), plus the
 * multiarch folders inside them (Debian puts libopenblas.so in /usr/lib/x86_64-linux-gnu, /usr/lib/aarch64-linux-gnu…).
 */
export function libraryFolders(roots = ['/usr/local/lib', '/usr/lib', '/usr/lib64', '/lib', '/lib64']) {
  const folders = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    folders.push(root);
    for (const entry of readdirSync(root))
      if (/^[a-z0-9_]+-linux-[a-z0-9_]+$/.test(entry)) folders.push(join(root, entry));
  }
  return folders;
}

/** True when the shared library `name` (e.g. libopenblas.so) is in one of `folders`. */
export function libraryInFolders(name, folders = libraryFolders()) {
  return folders.some((dir) => existsSync(join(dir, name)));
}

/** The default probe of the real system. */
export const realSystem = {
  // A variable the tests also read (BREGMAN_CHROMIUM) may point to the file elsewhere than Debian puts it.
  has: (present, env = process.env) => {
    if (present.file) return existsSync((present.env && env[present.env]) || present.file);
    if (present.library) return libraryInFolders(present.library);
    return commandOnPath(present.command);
  },
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  isDebian: () => existsSync('/etc/debian_version') && commandOnPath('apt-get'),
};

/**
 * What to do: `{ action: 'none' }`, `{ action: 'install', names }` (root on Debian), or
 * `{ action: 'stop', names, message }` with one line naming the exact command to run.
 */
export function plan(packages, system) {
  const missing = packages.filter((p) => !system.has(p.present));
  if (missing.length === 0) return { action: 'none', names: [] };
  const names = missing.map((p) => p.debian);
  if (system.isDebian() && system.isRoot()) return { action: 'install', names };
  const command = `${system.isRoot() ? '' : 'sudo '}apt-get update && ${system.isRoot() ? '' : 'sudo '}apt-get install -y ${names.join(' ')}`;
  const needs = missing.map((p) => `${p.debian} (${p.neededBy})`).join('; ');
  const message = system.isDebian()
    ? `prereqs: missing ${needs}. Install with: ${command}`
    : `prereqs: missing ${needs}. This is not Debian: install the equivalents of the Debian packages ${names.join(', ')} with your package manager, or run the tests on Debian, where: ${command}`;
  return { action: 'stop', names, message };
}

/** The real file system, for `staleBuilds`: modification times in ms, null for a missing file. */
export const realFiles = {
  mtime: (path) => (existsSync(path) ? statSync(path).mtimeMs : null),
};

/**
 * The builds to run: those whose output is missing or older than one of its sources (paths relative to `root`).
 * E.g. the native BLAS addon when `pnpm install` ran before the compiler was installed, or after its C source changed.
 */
export function staleBuilds(builds, root, files) {
  return builds.filter((b) => {
    const built = files.mtime(join(root, b.output));
    return built === null || b.sources.some((source) => (files.mtime(join(root, source)) ?? Infinity) > built);
  });
}
