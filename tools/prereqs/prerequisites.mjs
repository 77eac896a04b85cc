// The logic of the prerequisite step, apart from the process it runs in, so that tests can drive it with a fake
// system: which packages are missing, and what to do about it (install, or tell the user the one command).
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Reads and checks the manifest (`system-prerequisites.json`). */
export function readManifest(path) {
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(manifest.packages)) throw new Error(`prereqs: expected "packages" to be a list in ${path}`);
  for (const p of manifest.packages) {
    const ok =
      typeof p.debian === 'string' &&
      /^[a-z0-9][a-z0-9+.-]+$/.test(p.debian) &&
      p.present &&
      (typeof p.present.file === 'string' || typeof p.present.command === 'string') &&
      typeof p.neededBy === 'string';
    if (!ok)
      throw new Error(
        `prereqs: expected {debian, present: {file|command}, neededBy} in ${path}, got ${JSON.stringify(p)}`,
      );
  }
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

/** The default probe of the real system. */
export const realSystem = {
  // A variable the tests also read (BREGMAN_CHROMIUM) may point to the file elsewhere than Debian puts it.
  has: (present, env = process.env) =>
    present.file ? existsSync((present.env && env[present.env]) || present.file) : commandOnPath(present.command),
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
