import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDirectory } from '@empirical-bregman/node-io';
import { DatasetError } from './dataset-error';

/** Progress of {@link downloadFile}. */
export interface DownloadProgress {
  readonly url: string;
  /** Bytes in the partial file so far (including bytes from an earlier, interrupted attempt). */
  readonly received: number;
  /** Total bytes, if known (from the options or the server). */
  readonly total: number | undefined;
}

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** The expected SHA-256 (hex). The file reaches its final path only if the downloaded bytes match it. */
  readonly sha256: string;
  /** The expected size in bytes, if published. */
  readonly bytes?: number;
  /** Called after every chunk. */
  readonly onProgress?: (progress: DownloadProgress) => void;
}

/** The SHA-256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Downloads `url` to `destination`, safely:
 *
 * 1. bytes go to `destination + '.part'`; if that file exists from an interrupted attempt, the download resumes with
 *    an HTTP `Range: bytes=<size>-` request (a server that ignores ranges and answers 200 restarts it from zero);
 * 2. when the transfer ends, the SHA-256 of the whole partial file is compared with `options.sha256`;
 * 3. only if it matches is the partial file renamed to `destination` (an atomic rename on one file system). On a
 *    mismatch the partial file is deleted and a `CHECKSUM_MISMATCH` {@link DatasetError} is thrown, so a wrong file
 *    never appears at the final path. A transfer cut midway throws an `IO` error and keeps the partial file for the
 *    next attempt.
 *
 * An existing `destination` is checked against the checksum and kept if it matches (nothing is downloaded).
 *
 * ```ts
 * await downloadFile(url, join(dataDirectory(), 'mnist', file), { sha256, onProgress: (p) => console.log(p.received) });
 * ```
 */
export async function downloadFile(url: string, destination: string, options: DownloadOptions): Promise<void> {
  const component = 'downloadFile';
  const expected = options.sha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new DatasetError(
      component,
      'INVALID_ARGUMENT',
      `expected a 64-digit hex SHA-256, got ${JSON.stringify(options.sha256)}`,
    );
  }
  if ((await sizeOf(destination)) > 0) {
    const actual = await sha256File(destination);
    if (actual === expected) return;
    throw new DatasetError(
      component,
      'CHECKSUM_MISMATCH',
      `expected ${destination} to have SHA-256 ${expected}, got ${actual}; delete it to download again`,
    );
  }
  ensureDirectory(dirname(destination), 'the download folder');
  const part = `${destination}.part`;
  let have = await sizeOf(part);
  if (options.bytes !== undefined && have > options.bytes) {
    await rm(part, { force: true });
    have = 0;
  }
  if (options.bytes === undefined || have < options.bytes) {
    let response: Response;
    try {
      response = await fetch(url, have > 0 ? { headers: { Range: `bytes=${have}-` } } : {});
    } catch (cause) {
      throw new DatasetError(component, 'IO', `expected to reach ${url}, got ${(cause as Error).message}`, { cause });
    }
    if (response.status === 416 && have > 0) {
      // Range not satisfiable: the partial file is already complete; verify it below.
      await response.body?.cancel();
    } else {
      if (response.status !== 200 && response.status !== 206) {
        await response.body?.cancel();
        throw new DatasetError(
          component,
          'IO',
          `expected HTTP 200 or 206 from ${url}, got ${response.status} ${response.statusText}`,
        );
      }
      if (response.status === 200) have = 0; // the server ignored the range: start over
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      const total = options.bytes ?? (Number.isFinite(length) ? have + length : undefined);
      const file = await open(part, have > 0 ? 'a' : 'w');
      let oversized = false;
      try {
        // Leaving the loop (break or throw) cancels the response's stream.
        for await (const chunk of response.body ?? []) {
          // The published size is a hard cap: a server sending more is sending another file, and without the cap
          // a wrong or endless response fills the disk before the checksum can fail.
          if (options.bytes !== undefined && have + chunk.length > options.bytes) {
            oversized = true;
            break;
          }
          await file.write(chunk);
          have += chunk.length;
          options.onProgress?.({ url, received: have, total });
        }
      } catch (cause) {
        throw new DatasetError(
          component,
          'IO',
          `expected the whole of ${url}, got ${have} bytes before the transfer failed (${(cause as Error).message}); the partial file ${part} is kept and the next call resumes it`,
          { cause },
        );
      } finally {
        await file.close();
      }
      if (oversized) {
        await rm(part, { force: true });
        throw new DatasetError(
          component,
          'CHECKSUM_MISMATCH',
          `expected ${options.bytes} bytes from ${url} (its published size), got more; the download was stopped and deleted`,
        );
      }
    }
  }
  const actual = await sha256File(part);
  if (actual !== expected) {
    await rm(part, { force: true });
    throw new DatasetError(
      component,
      'CHECKSUM_MISMATCH',
      `expected ${url} to have SHA-256 ${expected}, got ${actual}; the download was deleted`,
    );
  }
  await rename(part, destination);
}
