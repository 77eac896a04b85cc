import { createHash } from 'node:crypto';
import type { NamedArray } from '@empirical-bregman/common';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '@empirical-bregman/runtime/node';
import { CliError } from '../cli-error';

/** A checkpoint stores every array as float32 (common's one type for named arrays). */
type StoredArray = NamedArray<'float32'>;

const MAGIC = 'EBCK';
const VERSION = 2;
/** magic, version, header length, SHA-256 of header and payload. */
const PREAMBLE = 4 + 4 + 4 + 32;

/**
 * One checkpoint = ONE file: a JSON header (run state: epoch, sampler and RNG state, curves, early-stopping state)
 * and the float32 values of every variable (network, divergence, loss, optimiser moments). One file, so a single
 * atomic rename (`writeFileAtomic`) publishes a complete checkpoint: after `kill -9` the file is the previous or the
 * new checkpoint, never a mix. One SHA-256 covers the header *and* the payload: an edited epoch in the header is as
 * much a corruption as a flipped weight (format 1 hashed only the payload, so `"epoch":3` → `"epoch":8` resumed a run
 * with epochs 4–8 never trained).
 *
 * Layout: "EBCK" | u32 version | u32 header length | 32-byte SHA-256(header ‖ payload) | header JSON (UTF-8) | zero
 * padding to 4 bytes | float32 data.
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
  const headerBytes = Buffer.from(JSON.stringify({ ...header, arrays: entries }), 'utf8');
  const padded = Math.ceil((PREAMBLE + headerBytes.length) / 4) * 4;
  const out = Buffer.alloc(padded + dataBytes.length);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, PREAMBLE);
  Buffer.from(dataBytes.buffer, dataBytes.byteOffset, dataBytes.byteLength).copy(out, padded);
  digest(headerBytes, out.subarray(padded)).copy(out, 12);
  writeFileAtomic(path, out);
}

function digest(header: Uint8Array, payload: Uint8Array): Buffer {
  return createHash('sha256').update(header).update(payload).digest();
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
    throw new CliError(
      where,
      'BAD_FORMAT',
      `expected checkpoint format ${VERSION} at ${path}, got ${version}${version === 1 ? ' (written by an older version, whose header is not covered by its checksum: start the run again)' : ''}`,
    );
  const headerLength = bytes.readUInt32LE(8);
  const start = Math.ceil((PREAMBLE + headerLength) / 4) * 4;
  const corrupt = () =>
    new CliError(
      where,
      'BAD_FORMAT',
      `expected the checkpoint at ${path} to match its SHA-256, got a different one (truncated, corrupted or edited file)`,
    );
  if (bytes.length < start) throw corrupt();
  const headerBytes = bytes.subarray(PREAMBLE, PREAMBLE + headerLength);
  const payload = bytes.subarray(start);
  if (!digest(headerBytes, payload).equals(bytes.subarray(12, PREAMBLE))) throw corrupt();
  let header: H & { arrays: { name: string; shape: number[]; offset: number; length: number }[] };
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch (error) {
    throw new CliError(
      where,
      'BAD_FORMAT',
      `expected a JSON header in the checkpoint at ${path}, got: ${(error as Error).message}`,
    );
  }
  const data = new Float32Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength));
  const arrays = new Map<string, StoredArray>();
  for (const e of header.arrays ?? []) {
    if (!(e.offset >= 0 && e.length >= 0 && e.offset + e.length <= data.length))
      throw new CliError(
        where,
        'BAD_FORMAT',
        `expected array ${e.name} within the payload of ${path}, got offset ${e.offset} + ${e.length} of ${data.length}`,
      );
    arrays.set(e.name, { name: e.name, shape: e.shape, values: data.subarray(e.offset, e.offset + e.length) });
  }
  return { header, arrays };
}
