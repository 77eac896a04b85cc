import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { loadMnistDigits } from '@empirical-bregman/datasets/node';
import { defineConfig, type Plugin } from 'vite';
import { workspaceAliases } from '../../tools/config/vitest.base';
import { encodeDigits, toBytes } from './src/digits/digits-file';

// tfjs-backend-wasm fetches its .wasm binaries at run time from the URL prefix given to `initBackend({ wasmPaths })`:
// serve them under /tfjs-wasm/ in development and emit them there in the production build.
const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
const WASM_PREFIX = '/tfjs-wasm/';

function tfjsWasmFiles(): Plugin {
  const files = readdirSync(wasmDir).filter((name) => name.endsWith('.wasm'));
  return {
    name: 'tfjs-wasm-files',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = request.url?.startsWith(WASM_PREFIX) ? request.url.slice(WASM_PREFIX.length) : '';
        if (!files.includes(name)) return next();
        response.setHeader('Content-Type', 'application/wasm');
        response.end(readFileSync(resolve(wasmDir, name)));
      });
    },
    generateBundle() {
      for (const name of files) {
        this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${name}`, source: readFileSync(resolve(wasmDir, name)) });
      }
    },
  };
}

// The digits mode's data: 500 MNIST digits of each class from the `mnist` package (41 MB of JSON, read by datasets'
// loader) as one compact byte file, 3.9 MB, built when the app is served or built (not kept in git).
const DIGITS_PER_CLASS = 500;

function digitsFile(): Plugin {
  let bytes: Uint8Array | undefined;
  const digits = () => {
    if (!bytes) {
      const data = loadMnistDigits({ maxPerClass: DIGITS_PER_CLASS });
      const count = data.labels.length;
      bytes = encodeDigits({ count, side: 28, labels: Uint8Array.from(data.labels), pixels: toBytes(data.features) });
    }
    return bytes;
  };
  return {
    name: 'digits-file',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (request.url !== '/digits.bin') return next();
        response.setHeader('Content-Type', 'application/octet-stream');
        response.end(digits());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'digits.bin', source: digits() });
    },
  };
}

// Cross-origin isolation lets tfjs-wasm use threads (SharedArrayBuffer); the production server must send the same.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  // The libraries from their sources, as the tests import them: no package build needed to run the app.
  resolve: { alias: workspaceAliases() },
  plugins: [tfjsWasmFiles(), digitsFile()],
  server: { host: '127.0.0.1', headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
