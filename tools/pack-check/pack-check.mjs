// Packaging is real: pack every publishable workspace package with `pnpm pack`, install each tarball into an empty
// temporary project together with only the tarballs of the workspace packages it depends on (and its third-party
// dependencies from the registry), then import it there as ESM and require it as CJS. A package that leaks a
// workspace-only path, ships no dist, or forgets a dependency fails here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const keep = process.argv.includes('--keep'); // keep the temporary projects to inspect them
const only = process.argv.slice(2).filter((a) => a !== '--keep');
const packages = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(root, group, dir)))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.manifest.private);
const byName = new Map(packages.map((p) => [p.manifest.name, p]));

// Beyond importing: a call that needs the package's shipped files (wasm binaries, worker program) where it has them.
const smoke = {
  // The CLI binary itself, as a user who installed the package runs it.
  '@empirical-bregman/cli':
    "const { execFileSync } = await import('node:child_process'); const v = execFileSync('npx', ['--no-install', 'bregman', '--version'], { encoding: 'utf8' }).trim(); if (!/^\\d+\\.\\d+\\.\\d+$/.test(v)) throw new Error('bregman --version printed ' + v);",
  // The addon builds from the shipped C source at install (npm runs the install script; CI has gcc and OpenBLAS).
  '@empirical-bregman/native-blas':
    'const n = m.loadNativeBlas(); if (!n.ok) throw new Error(n.reason);' +
    'const h = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);' +
    "n.blas.gemmBatch(h, Int32Array.from([0, 4, 8]), 2, 2, 2, false, false); if (h[11] !== 50) throw new Error('gemm gave ' + h.join());",
  '@empirical-bregman/runtime':
    "const info = await m.initBackend({ force: 'wasm', quiet: true }); if (info.backend !== 'wasm') throw new Error(info.backend);" +
    "const { WorkerPool } = await import('@empirical-bregman/runtime/node');" +
    "const pool = await WorkerPool.create({ size: 1, backend: { force: 'cpu' } }); await pool.close();",
};

const work = mkdtempSync(join(tmpdir(), 'eb-pack-'));
const tarballs = new Map();
let failures = 0;
let checked = 0;
try {
  for (const p of packages) {
    const out = execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: p.dir, encoding: 'utf8' });
    const file = out
      .trim()
      .split('\n')
      .filter((l) => l.endsWith('.tgz'))
      .pop();
    tarballs.set(p.manifest.name, file.startsWith('/') ? file : join(work, file));
  }

  const workspaceDeps = (name, seen = new Set()) => {
    const m = byName.get(name)?.manifest;
    if (!m) return seen;
    for (const dep of Object.keys({ ...m.dependencies, ...m.peerDependencies })) {
      if (byName.has(dep) && !seen.has(dep)) {
        seen.add(dep);
        workspaceDeps(dep, seen);
      }
    }
    return seen;
  };

  for (const p of packages.filter((q) => only.length === 0 || only.includes(q.manifest.name))) {
    const name = p.manifest.name;
    checked++;
    const project = mkdtempSync(join(work, 'consumer-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0' }));
    const local = [name, ...workspaceDeps(name)].map((n) => tarballs.get(n));
    // Peers are the consumer's to install (tfjs-core), exactly as a user would.
    const peers = Object.entries(p.manifest.peerDependencies ?? {}).map(([n, v]) => `${n}@${v}`);
    const started = Date.now();
    try {
      execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--omit=optional', '--loglevel=error', ...local, ...peers],
        {
          cwd: project,
          stdio: ['ignore', 'pipe', 'pipe'],
          encoding: 'utf8',
        },
      );
      // ESM-only packages (no "require" export condition, e.g. the CLI app) are imported only.
      const hasCjs = JSON.stringify(p.manifest.exports ?? {}).includes('"require"');
      // Every entry point: the package itself and each subpath export (e.g. `@empirical-bregman/search/node`).
      const subpaths = Object.keys(p.manifest.exports ?? {}).filter((k) => k !== '.' && k !== './package.json');
      const counts = [];
      for (const specifier of [name, ...subpaths.map((k) => `${name}${k.slice(1)}`)]) {
        const esm = `import * as m from '${specifier}'; const keys = Object.keys(m); if (keys.length === 0) throw new Error('no exports'); ${specifier === name ? (smoke[name] ?? '') : ''} console.log(keys.length);`;
        const cjs = `const m = require('${specifier}'); const keys = Object.keys(m); if (keys.length === 0) throw new Error('no exports'); console.log(keys.length);`;
        const nEsm = execFileSync('node', ['--input-type=module', '-e', esm], {
          cwd: project,
          encoding: 'utf8',
        }).trim();
        const nCjs = hasCjs ? execFileSync('node', ['-e', cjs], { cwd: project, encoding: 'utf8' }).trim() : nEsm;
        if (nEsm !== nCjs) throw new Error(`${specifier}: ESM exports ${nEsm} names but CJS exports ${nCjs}`);
        counts.push(specifier === name ? nEsm : `${specifier.slice(name.length + 1)} ${nEsm}`);
      }
      const nEsm = counts.join(', ');
      const installed = readFileSync(join(project, 'node_modules', ...name.split('/'), 'package.json'), 'utf8');
      if (installed.includes('workspace:')) throw new Error('the packed package.json still says workspace:');
      console.log(
        `ok   ${name}: ${nEsm} exports via ESM${hasCjs ? ' and CJS' : ' (ESM-only package)'} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    } catch (error) {
      const detail = (error.stderr || error.stdout || error.message || '')
        .toString()
        .trim()
        .split('\n')
        .slice(-6)
        .join('\n     ');
      failures++;
      console.log(`FAIL ${name}: ${detail}`);
    }
  }
} finally {
  if (keep) console.log(`pack-check: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
if (failures > 0) {
  console.log(`pack-check: ${failures} of ${checked} packages failed`);
  process.exit(1);
}
console.log(`pack-check: ${checked} packages install and import from their tarballs (ESM, and CJS where offered)`);
