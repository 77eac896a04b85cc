import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/**
 * Test helper: serves `dir` on 127.0.0.1 (a secure context, which WebGPU needs) with the cross-origin-isolation
 * headers the playground's production server must send (COOP/COEP: wasm threads), as `vite preview` would.
 * `extra` maps URL paths to more directories (e.g. a model folder). Resolves to its origin and a `close()`.
 */
export async function serveStatic(
  dir: string,
  extra: Record<string, string> = {},
): Promise<{ origin: string; close(): Promise<void> }> {
  const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const mount = Object.keys(extra).find((prefix) => path.startsWith(prefix));
    const base = mount ? extra[mount]! : dir;
    const file = resolve(base, `.${(mount ? path.slice(mount.length - 1) : path).replace(/\/$/, '/index.html')}`);
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, isolation);
      response.end();
      return;
    }
    response.writeHead(200, { ...isolation, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
