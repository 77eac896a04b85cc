import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A package version a {@link localNpmRegistry} serves. */
export interface ServedPackage {
  readonly name: string;
  readonly version: string;
  readonly tarball: Uint8Array;
}

/**
 * Test helper: the two routes of the npm registry API `npm pack <name>@<version>` uses, on 127.0.0.1 — the packument
 * (`GET /<name>`: versions with `dist.tarball`, `dist.integrity` and `dist.shasum`) and the tarball itself — so fetch
 * code runs the real npm client without the network. `requests` lists the paths asked for.
 */
export async function localNpmRegistry(packages: readonly ServedPackage[]): Promise<{
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '/');
    requests.push(path);
    for (const pkg of packages) {
      const file = `/${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`;
      if (path === file) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': pkg.tarball.length });
        res.end(pkg.tarball);
        return;
      }
    }
    const versions = packages.filter((p) => path === `/${p.name}`);
    if (versions.length === 0) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
      return;
    }
    const packument = {
      name: versions[0]!.name,
      'dist-tags': { latest: versions.at(-1)!.version },
      versions: Object.fromEntries(
        versions.map((p) => [
          p.version,
          {
            name: p.name,
            version: p.version,
            dist: {
              tarball: `${url}/${p.name}/-/${p.name}-${p.version}.tgz`,
              integrity: `sha512-${createHash('sha512').update(p.tarball).digest('base64')}`,
              shasum: createHash('sha1').update(p.tarball).digest('hex'),
            },
          },
        ]),
      ),
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
