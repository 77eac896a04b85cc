import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { type DownloadProgress, downloadFile } from './download-file';

// 300 kB of deterministic bytes (not all equal, so a misplaced chunk changes the hash).
const content = Buffer.alloc(300_000);
for (let i = 0; i < content.length; i++) content[i] = (i * 31 + (i >> 8)) & 0xff;
const sha = createHash('sha256').update(content).digest('hex');

/** What the server does with the next request for /cut: stop after this many body bytes. */
let cutAfter: number | null = null;
const requests: IncomingHttpHeaders[] = [];
let server: Server;
let base = '';
const dir = mkdtempSync(join(tmpdir(), 'eb-dl-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.headers);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const body = content.subarray(start);
    res.writeHead(range ? 206 : 200, { 'content-length': String(body.length) });
    if (req.url === '/cut' && cutAfter !== null) {
      const n = cutAfter;
      cutAfter = null;
      res.write(body.subarray(0, n), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('downloadFile (local HTTP server on 127.0.0.1)', () => {
  it('downloads a good file with progress and verifies its SHA-256', async () => {
    const dest = join(dir, 'good', 'file.bin');
    const progress: DownloadProgress[] = [];
    await downloadFile(`${base}/good`, dest, {
      sha256: sha,
      bytes: content.length,
      onProgress: (p) => progress.push(p),
    });
    expect(readFileSync(dest).equals(content)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(progress.at(-1)).toMatchObject({ received: content.length, total: content.length });
    // A second call finds the verified file and downloads nothing.
    const before = requests.length;
    await downloadFile(`${base}/good`, dest, { sha256: sha });
    expect(requests.length).toBe(before);
  });

  it('never leaves a file at the final path when the checksum is wrong', async () => {
    const dest = join(dir, 'bad', 'file.bin');
    const wrong = sha.replace(/^./, sha[0] === '0' ? '1' : '0');
    try {
      await downloadFile(`${base}/bad`, dest, { sha256: wrong });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as DatasetError).code).toBe('CHECKSUM_MISMATCH');
      expect((error as Error).message).toContain(`got ${sha}`);
    }
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('keeps the partial file when the connection is cut midway and resumes it with a Range request', async () => {
    const dest = join(dir, 'cut', 'file.bin');
    cutAfter = 100_000;
    const first = requests.length;
    await expect(downloadFile(`${base}/cut`, dest, { sha256: sha, bytes: content.length })).rejects.toMatchObject({
      code: 'IO',
    });
    expect(existsSync(dest)).toBe(false);
    const partial = statSync(`${dest}.part`).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(content.length);
    expect(requests[first].range).toBeUndefined();

    await downloadFile(`${base}/cut`, dest, { sha256: sha, bytes: content.length });
    expect(requests.at(-1)?.range).toBe(`bytes=${partial}-`);
    expect(readFileSync(dest).equals(content)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('stops at the published size when the server sends more, and deletes the partial file', async () => {
    const dest = join(dir, 'capped', 'file.bin');
    const attempt = downloadFile(`${base}/big`, dest, { sha256: sha, bytes: 1_000 });
    await expect(attempt).rejects.toThrow(
      /expected 1000 bytes from .*\/big \(its published size\), got more; the download was stopped and deleted/,
    );
    await attempt.catch((error) => expect((error as DatasetError).code).toBe('CHECKSUM_MISMATCH'));
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('rejects a malformed checksum and an unreachable server with clear errors', async () => {
    await expect(downloadFile(`${base}/x`, join(dir, 'x'), { sha256: 'abc' })).rejects.toThrow(/64-digit hex SHA-256/);
    await expect(downloadFile('http://127.0.0.1:1/x', join(dir, 'y'), { sha256: sha })).rejects.toThrow(
      /downloadFile: expected to reach http:\/\/127\.0\.0\.1:1\/x/,
    );
  });
});
