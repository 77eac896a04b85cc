#!/usr/bin/env node
// Builds the native BLAS kernels, build/native_blas.node, from native/native_blas.c with the system C compiler and
// OpenBLAS (Debian: `apt-get install gcc libopenblas-dev`; about a second). Not node-gyp, which downloads Node's
// headers: the addon uses N-API only, whose headers ship with Node (`<node>/../include/node`) or with the
// `node-api-headers` package, and one build serves every Node version.
//
// It is the package's install script, and the native kernels are optional: it ALWAYS exits 0 then, and when it
// cannot build it prints one line saying how to enable them. `--strict` (the test suite's prerequisite step) exits 1
// instead, with the same line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const packageDir = resolve(import.meta.dirname, '..');
const source = join(packageDir, 'native', 'native_blas.c');
const output = join(packageDir, 'build', 'native_blas.node');
const strict = process.argv.includes('--strict');
const how = `apt-get install gcc libopenblas-dev, then node ${join(packageDir, 'scripts', 'build-addon.mjs')}`;

function stop(reason) {
  console.error(`native-blas: native BLAS kernels not built (${reason}); to enable them: ${how}`);
  process.exit(strict ? 1 : 0);
}

function onPath(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The folder holding node_api.h: beside this Node binary, the system's, or the node-api-headers package's. */
function nodeApiHeaders() {
  const candidates = [resolve(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'];
  try {
    const headers = createRequire(join(packageDir, 'package.json')).resolve('node-api-headers/package.json');
    candidates.push(join(dirname(headers), 'include'));
  } catch {
    // not installed: the other candidates only
  }
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

function build() {
  const compiler = ['cc', 'gcc'].find(onPath);
  if (!compiler) stop('no C compiler: neither cc nor gcc is on PATH');
  const include = nodeApiHeaders();
  if (!include) stop(`Node's N-API headers (node_api.h) not found beside ${process.execPath}`);

  const started = Date.now();
  mkdirSync(dirname(output), { recursive: true });
  // Built under a temporary name and renamed: a process loading the addon meanwhile sees the old file or the new one.
  // (It keeps the .node extension: require() loads other extensions as JavaScript.)
  const partial = join(dirname(output), `native_blas.${process.pid}.partial.node`);
  const args = [
    '-O2',
    // Every float32 operation rounded on its own, as tfjs's kernels round them (adamUpdate matches tfjs's Adam bit
    // for bit only so): no multiply-add contracted into an FMA.
    '-ffp-contract=off',
    // Vectorise adamUpdate's loop (sqrtf without errno becomes one instruction; GCC 12's -O2 vectorises only loops
    // that need no remainder). Neither changes a result: no reassociation, each lane rounded as a scalar would be.
    '-fno-math-errno',
    '-ftree-loop-vectorize',
    '-fvect-cost-model=dynamic',
    '-fPIC',
    '-shared',
    '-std=c11',
    '-Wall',
    `-I${include}`,
    source,
    '-o',
    partial,
    '-lopenblas',
    '-lm',
  ];
  const compiled = spawnSync(compiler, args, { encoding: 'utf8', timeout: 120_000 });
  if (compiled.status !== 0) {
    rmSync(partial, { force: true });
    const message = `${compiled.stderr ?? ''}${compiled.error?.message ?? ''}`;
    if (/-lopenblas|openblas/i.test(message)) stop('OpenBLAS not found: the linker cannot find -lopenblas');
    const first = message.split('\n').find((line) => /error/i.test(line)) ?? message.split('\n')[0];
    stop(`${compiler} failed: ${first.trim().slice(0, 200)}`);
  }
  // Load it once in a fresh process: a library missing at run time (libopenblas.so.0) shows here, not in a test.
  const probe = spawnSync(
    process.execPath,
    ['-e', `process.stdout.write(require(${JSON.stringify(partial)}).config())`],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (probe.status !== 0) {
    rmSync(partial, { force: true });
    const lines = (probe.stderr ?? '').split('\n');
    stop(
      `the built addon does not load: ${(lines.find((l) => /Error/.test(l)) ?? lines[0] ?? '').trim().slice(0, 200)}`,
    );
  }
  renameSync(partial, output);
  console.error(
    `native-blas: built ${output} (${probe.stdout.split(' ').slice(0, 2).join(' ')}) in ${Date.now() - started} ms`,
  );
}

try {
  build();
} catch (error) {
  // Whatever went wrong (a read-only folder, a killed compiler), the install itself must not fail.
  stop(`unexpected: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
}
