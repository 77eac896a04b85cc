import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '@empirical-bregman/runtime';
import { CliError } from '../cli-error';

/** A named float32 array as stored in a checkpoint. */
export interface StoredArray {
  readonly name: string;
  readonly shape: number[];
  readonly values: Float32Array;
}

const MAGIC = 'EBCK';
const VERSION = 1;

/**
 * One checkpoint = ONE file: a JSON header (run state: epoch, sampler and RNG state, curves, early-stopping state)
 * and the float32 values of every variable (network, divergence, loss, optimiser moments). One file, so a single
 * atomic rename (`writeFileAtomic`) publishes a complete checkpoint: after `kill -9` the file is the previous or the
 * new checkpoint, never a mix. A SHA-256 of the payload catches a truncated or corrupted file on load.
 *
 * Layout: "EBCK" | u32 version | u32 header length | header JSON (UTF-8) | zero padding to 4 bytes | float32 data.
 */
export function writeCheckpointFile(
  path: string,
  header: Record<string, unknown>,
  arrays: readonly StoredArray[],
): void {
  let offset = 0;
  const entries = arrays.map((a) => {
    const entry = { name: a.name, shape: a.shape, offset, length: a.values.length };
    offset += a.values.length;
    return entry;
  });
  const data = new Float32Array(offset);
  for (const [i, a] of arrays.entries()) data.set(a.values, entries[i]!.offset);
  const dataBytes = new Uint8Array(data.buffer);
  const sha256 = createHash('sha256').update(dataBytes).digest('hex');
  const headerBytes = Buffer.from(JSON.stringify({ ...header, arrays: entries, sha256 }), 'utf8');
  const padded = Math.ceil((12 + headerBytes.length) / 4) * 4;
  const out = Buffer.alloc(padded + dataBytes.length);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  Buffer.from(dataBytes.buffer, dataBytes.byteOffset, dataBytes.byteLength).copy(out, padded);
  writeFileAtomic(path, out);
}

export function readCheckpointFile<H extends Record<string, unknown>>(
  path: string,
): { header: H; arrays: Map<string, StoredArray> } {
  const where = 'checkpoint';
  if (!existsSync(path)) throw new CliError(where, 'NOT_FOUND', `expected a checkpoint at ${path}, got no such file`);
  const bytes = readFileSync(path);
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== MAGIC) {
    throw new CliError(where, 'BAD_FORMAT', `expected a checkpoint file (magic EBCK) at ${path}, got something else`);
  }
  const version = bytes.readUInt32LE(4);
  if (version !== VERSION)
    throw new CliError(where, 'BAD_FORMAT', `expected checkpoint version ${VERSION} at ${path}, got ${version}`);
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as H & {
    arrays: { name: string; shape: number[]; offset: number; length: number }[];
    sha256: string;
  };
  const start = Math.ceil((12 + headerLength) / 4) * 4;
  const payload = bytes.subarray(start);
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) {
    throw new CliError(
      where,
      'BAD_FORMAT',
      `expected the checkpoint payload at ${path} to match its SHA-256, got a different one (truncated or corrupted file)`,
    );
  }
  const data = new Float32Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength));
  const arrays = new Map<string, StoredArray>();
  for (const e of header.arrays)
    arrays.set(e.name, { name: e.name, shape: e.shape, values: data.subarray(e.offset, e.offset + e.length) });
  return { header, arrays };
}
