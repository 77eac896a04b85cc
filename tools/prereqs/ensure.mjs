#!/usr/bin/env node
// The first step of `pnpm test`: make sure the system packages the tests need are present (one step for the whole
// workspace: parallel apt-get runs would collide on dpkg's lock). As root on Debian it installs what is missing;
// otherwise it stops with one line that names the exact command. Then it runs the builds that need those packages
// and are missing or stale (the native BLAS addon, whose install script ran at `pnpm install`, maybe before the
// compiler was here). Tests never skip for a missing prerequisite.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { plan, readBuilds, readManifest, realFiles, realSystem, staleBuilds } from './prerequisites.mjs';

const manifestPath = fileURLToPath(new URL('./system-prerequisites.json', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = readManifest(manifestPath);
const first = plan(packages, realSystem);

if (first.action === 'stop') {
  console.error(first.message);
  process.exit(1);
}
if (first.action === 'install') {
  console.error(`prereqs: installing ${first.names.join(' ')} with apt-get (as root, once for the workspace)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  const update = run(['update', '-qq']);
  const install = update.status === 0 ? run(['install', '-y', '-qq', ...first.names]) : update;
  const after = plan(packages, realSystem);
  if (install.status !== 0 || after.action !== 'none') {
    console.error(
      `prereqs: apt-get could not install ${(after.names.length ? after.names : first.names).join(' ')} (exit ${install.status}); run: apt-get update && apt-get install -y ${first.names.join(' ')}`,
    );
    process.exit(1);
  }
}
for (const build of staleBuilds(readBuilds(manifestPath), root, realFiles)) {
  console.error(`prereqs: building ${build.name} (${build.output} is missing or older than its sources)`);
  const [command, ...args] = build.command;
  const ran = spawnSync(command === 'node' ? process.execPath : command, args, { cwd: root, stdio: 'inherit' });
  if (ran.status !== 0) {
    // The build printed its own one-line reason above.
    console.error(`prereqs: could not build ${build.name}, needed by ${build.neededBy}`);
    process.exit(1);
  }
}
console.error(`prereqs: ${packages.map((p) => p.debian).join(', ')} present`);
