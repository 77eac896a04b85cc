// Timing helpers shared by the perf suites: warm-up, then the median of N runs (robust on a noisy shared machine).
import { cpus } from 'node:os';
import { describeBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';

/** Runs `fn` `warmup` times, then `runs` times, and returns the median and spread in milliseconds. */
export async function timeMedian(fn, { runs = 20, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], minMs: times[0], maxMs: times[times.length - 1], runs };
}

/**
 * A contestant of {@link timeInterleaved} that times itself: `measure()` runs it once and resolves to its own
 * milliseconds (another process's clock, which leaves the pipe to it out). When it fails (the process crashed or
 * stopped answering) its runs end there and its result is `{ medianMs: null, error }`; the others go on.
 */
export function selfTimed(measure) {
  return { measure };
}

/**
 * A contestant of {@link timeInterleaved} that needs `prepare()` (e.g. switching the native kernels on or off) before
 * each of its runs: `prepare` is awaited untimed, then `run` is timed as a plain function entry is.
 */
export function prepared(prepare, run) {
  return { prepare, run };
}

/**
 * Median ms of each of `fns`, timed in turn (a, b, a, b, …) so that a change in the host's load during the run hits
 * each alike: what a ratio between them needs on a shared machine. A function is timed here; a {@link prepared}
 * entry is timed after its untimed preparation; a {@link selfTimed} entry reports its own time.
 */
export async function timeInterleaved(fns, { runs = 20, warmup = 3 } = {}) {
  const times = fns.map(() => []);
  const errors = fns.map(() => null);
  for (let r = -warmup; r < runs; r++) {
    for (const [i, fn] of fns.entries()) {
      if (typeof fn === 'function' || fn.run) {
        if (fn.prepare) await fn.prepare();
        const run = fn.run ?? fn;
        const t0 = process.hrtime.bigint();
        await run();
        if (r >= 0) times[i].push(Number(process.hrtime.bigint() - t0) / 1e6);
      } else if (errors[i] === null) {
        try {
          const ms = await fn.measure();
          if (r >= 0) times[i].push(ms);
        } catch (error) {
          errors[i] = error instanceof Error ? error.message : String(error);
        }
      }
    }
  }
  return times.map((t, i) => {
    if (errors[i] !== null) return { medianMs: null, error: errors[i], runs };
    t.sort((a, b) => a - b);
    return { medianMs: t[Math.floor(t.length / 2)], minMs: t[0], maxMs: t[t.length - 1], runs };
  });
}

/**
 * {@link timeInterleaved} over `groups` (arrays of entries, some empty), all in the same rounds; returns each group's
 * results, in the same shape. What a row with an optional native and peer side needs.
 */
export async function timeInterleavedGroups(groups, options) {
  const results = await timeInterleaved(groups.flat(), options);
  let next = 0;
  return groups.map((group) => {
    const start = next;
    next += group.length;
    return results.slice(start, next);
  });
}

export function machine(info) {
  const cpu = cpus();
  return {
    backend: info.backend,
    tfjsVersion: tf.version_core,
    simd: info.simd,
    threads: info.threads,
    // Whether products and convolutions ran on OpenBLAS (the native BLAS kernels), and the whole backend line.
    native: info.native,
    description: describeBackend(info),
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
  };
}

export function printTable(title, rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(columns.map((c) => r[c] ?? '')));
}

/** A tensor of normal deviates (mean 0, deviation `std`) drawn from the seeded `rng` (common's SeededRandom). */
export function normalTensor(rng, shape, std = 1) {
  return tf.tensor(
    rng.normalArray(
      shape.reduce((a, b) => a * b, 1),
      0,
      std,
    ),
    shape,
  );
}
