// Every library package's main entry must load in a browser: bundle each one with esbuild for the browser platform
// (third-party dependencies included, tfjs too, as an app's bundler would) and fail on any Node built-in or native
// addon in its import graph, naming the package and the chain of imports that reaches it. Node-only parts belong
// behind a `./node` subpath export (see `packages/search`), which this check leaves alone.
//
// Usage: node tools/checks/check-browser-bundles.mjs [package-dir-name …]   (default: every package in packages/)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const packagesDir = resolve(root, 'packages');

/** Packages that are Node-only by purpose, with the reason; everything else must bundle for a browser. */
const NODE_ONLY = {
  '@empirical-bregman/node-io': 'file IO for Node (atomic writes, locating built files) is its whole purpose',
  '@empirical-bregman/native-blas': 'a Node addon (OpenBLAS on the wasm heap); runtime loads it only in Node',
};

// esbuild is tsup's own (the workspace's build tool), so the check bundles with the bundler the packages build with.
const esbuild = createRequire(createRequire(resolve(root, 'package.json')).resolve('tsup'))('esbuild');

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isForbidden = (path) => builtins.has(path) || path.startsWith('node:') || path.endsWith('.node');

// Workspace packages resolve to their sources (as the tests do), so the check needs no build and sees every file.
const alias = {};
for (const dir of readdirSync(packagesDir)) {
  const src = resolve(packagesDir, dir, 'src');
  alias[`@empirical-bregman/${dir}`] = resolve(src, 'index.ts');
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(resolve(src, entry.name, 'index.ts')))
      alias[`@empirical-bregman/${dir}/${entry.name}`] = resolve(src, entry.name, 'index.ts');
  }
}

/** The import chain from `entry` to `target` in esbuild's metafile (breadth-first: the shortest one). */
function chainTo(metafile, entry, target) {
  const previous = new Map([[entry, null]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === target) break;
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || previous.has(imported.path)) continue;
      previous.set(imported.path, file);
      queue.push(imported.path);
    }
  }
  const chain = [];
  for (let file = target; file != null; file = previous.get(file)) chain.unshift(file);
  return chain[0] === entry ? chain : [entry, '…', target];
}

/** Bundles one package's main entry for a browser; returns the problems found (empty when it is browser-safe). */
async function checkPackage(dir) {
  const entry = resolve(packagesDir, dir, 'src/index.ts');
  const found = [];
  const recordNodeImports = {
    name: 'record-node-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.inner || !isForbidden(args.path)) return undefined;
        // A package may map the built-in away for browsers (its package.json "browser" field, as tfjs does): esbuild
        // then resolves it to an empty module, which is fine. Only a built-in that really stays is a problem.
        const { importer, kind, resolveDir } = args;
        const resolved = await build.resolve(args.path, { importer, kind, resolveDir, pluginData: { inner: true } });
        if (resolved.errors.length === 0) return undefined; // esbuild's own resolution then empties it
        found.push({ path: args.path, importer: args.importer });
        return { path: args.path, external: true };
      });
    },
  };
  let metafile;
  try {
    ({ metafile } = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      alias,
      metafile: true,
      logLevel: 'silent',
      plugins: [recordNodeImports],
      // Binary assets a dependency may reference (tfjs-backend-wasm's .wasm files) are files to an app's bundler.
      loader: { '.wasm': 'file' },
      outdir: resolve(root, 'node_modules/.cache/browser-bundles'),
    }));
  } catch (error) {
    return (error.errors ?? [{ text: String(error) }]).map(
      (e) => `${e.text}${e.location ? ` (${e.location.file}:${e.location.line})` : ''}`,
    );
  }
  const rel = (file) => (file.startsWith('/') ? relative(root, file) : file);
  const entryKey = relative(process.cwd(), entry);
  const unique = new Map(found.map((f) => [`${f.importer}\0${f.path}`, f]));
  return [...unique.values()].map((f) => {
    const importer = relative(process.cwd(), f.importer);
    return `${f.path} via ${chainTo(metafile, entryKey, importer).map(rel).join(' → ')}`;
  });
}

const only = process.argv.slice(2);
const dirs = readdirSync(packagesDir).filter((dir) => only.length === 0 || only.includes(dir));
let failures = 0;
let checked = 0;
for (const dir of dirs) {
  const { name } = JSON.parse(readFileSync(resolve(packagesDir, dir, 'package.json'), 'utf8'));
  if (NODE_ONLY[name]) {
    console.log(`skip ${name}: Node-only (${NODE_ONLY[name]})`);
    continue;
  }
  checked++;
  const started = Date.now();
  const problems = await checkPackage(dir);
  if (problems.length === 0) {
    console.log(`ok   ${name}: its main entry bundles for a browser (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    continue;
  }
  failures++;
  console.log(`FAIL ${name}: Node-only imports in its main entry (move them behind ${name}/node):`);
  for (const problem of problems.slice(0, 20)) console.log(`     ${problem}`);
  if (problems.length > 20) console.log(`     … and ${problems.length - 20} more`);
}
if (failures > 0) {
  console.log(`check-browser-bundles: ${failures} package(s) import Node built-ins from their browser entry`);
  process.exit(1);
}
console.log(`check-browser-bundles: ${checked} packages bundle for a browser`);
