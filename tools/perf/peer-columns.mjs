// The peer's part of a bench row: the entries that put the peer into a row's alternating rounds, the row's JSON
// fields (peerMs, peerThreads, peerRatio, or peerError), and the table's two cells.
import { selfTimed } from './harness.mjs';

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * PyTorch's threads on every mirrored row: both cores, as a user running PyTorch here would (and as the issue's
 * reference figures were taken), whatever our side of the row uses (one wasm thread, native BLAS's threads, or two
 * workers).
 */
export const PEER_THREADS = 2;

/**
 * What a row adds to its `timeInterleaved` entries for the peer's `workload` on `threads` threads: one self-timed
 * sample per round (the mean of `runsPerSample` runs back to back), or nothing without a peer that can answer.
 */
export function peerEntries(peer, workload, { threads, runsPerSample = 1, n } = {}) {
  if (!peer?.available) return [];
  return [selfTimed(async () => mean(await peer.time(workload, { threads, runs: runsPerSample, n })))];
}

/**
 * The row's peer fields from `result` (the peer's entry's timeInterleaved result, undefined when it had none):
 * nothing without --peer; the peer's median, its threads and our ms ÷ its ms; or why there is no figure.
 */
export function peerFields(peer, oursMs, result, threads) {
  if (!peer) return {};
  if (result === undefined) return { peerError: peer.reason ?? 'not run' };
  if (result.medianMs === null) return { peerError: result.error };
  return { peerMs: result.medianMs, peerThreads: threads, peerRatio: oursMs / result.medianMs };
}

/**
 * The ratio's column: the row's ms (wasm + native, the default configuration, when the native kernels are on; wasm
 * alone otherwise, which the table's title then says) ÷ PyTorch's.
 */
const RATIO = '(wasm + native) / PyTorch';

/** Column names the table gets with --peer pytorch. */
export const PEER_COLUMNS = ['PyTorch ms', RATIO];

/** The table cells of a row's peer fields (a row the peer does not mirror stays blank). */
export function peerCells(row) {
  if (row.peerError !== undefined) return { 'PyTorch ms': row.peerError, [RATIO]: '' };
  if (row.peerMs === undefined) return { 'PyTorch ms': '', [RATIO]: '' };
  const threads = `${row.peerThreads} thread${row.peerThreads === 1 ? '' : 's'}`;
  return { 'PyTorch ms': `${row.peerMs.toFixed(1)} (${threads})`, [RATIO]: `${row.peerRatio.toFixed(2)}×` };
}
