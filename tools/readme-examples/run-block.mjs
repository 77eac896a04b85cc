import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/**
 * Where a block's imports resolve: this tool's own node_modules, which lists every workspace package (their built
 * `dist`, through their `exports`) and the third-party packages the examples import. A README that imports
 * something not listed in this tool's package.json fails with Node's "Cannot find package", which is the point:
 * add it there, or to the README's prose instead of its example.
 */
const modules = fileURLToPath(new URL('./node_modules', import.meta.url));

/** A fresh working folder whose node_modules is this tool's: relative paths an example writes stay inside it. */
export function makeWorkFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'eb-readme-'));
  symlinkSync(modules, join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * TypeScript → an ES module Node runs (types stripped, top-level await kept), with an inline source map to
 * `sourcefile`: the code is shifted to start at line `firstLine`, so a stack trace names the README's own line.
 */
export async function toModule(code, { sourcefile, firstLine = 1 }) {
  const { code: js } = await transform('\n'.repeat(firstLine - 1) + code, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile,
    sourcemap: 'inline',
  });
  return js;
}

/**
 * Runs `node file` in `cwd`; resolves to `{ code, signal, timedOut, stdout, stderr, ms }` (never rejects on the
 * child's failure). The child is killed after `timeoutMs`.
 */
export function runNode(file, { cwd, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      cwd,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/**
 * Transpiles one README block into `dir` and runs it. Throws an Error naming `where` (README path and line) with
 * the exit status and the end of the block's stderr when it does not exit 0 within `timeoutMs`. `sourcefile` and
 * `firstLine` (the README and the line of the block's first code line) make stack traces point into the README.
 */
export async function runBlock(code, { dir, where, timeoutMs, name, sourcefile = where, firstLine = 1 }) {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, await toModule(code, { sourcefile, firstLine }));
  const result = await runNode(file, { cwd: dir, timeoutMs });
  if (result.code === 0) return result;
  const status = result.timedOut
    ? `did not finish within ${timeoutMs / 1000} s`
    : `exited with ${result.code ?? result.signal}`;
  const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-25).join('\n');
  throw new Error(`${where}: the block ${status}\n${tail}`);
}
