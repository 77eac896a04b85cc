// pnpm bench:perf [--json] [--json-out FILE] [--runs N] [--suite runtime|bregman|ann|all] [--no-retrieval]
//   [--peer pytorch] — performance workloads, as a table and (with --json) as JSON. Timings live here, never in
// unit tests. `--no-retrieval` skips W3 and W5. `--peer pytorch` runs the bregman suite's workloads also in PyTorch
// (pytorch_peer.py, in the interpreter BREGMAN_PYTHON, else python3 or /usr/bin/python3, whichever imports torch),
// in rounds alternating with ours; rows gain PyTorch's time and our ms ÷ PyTorch's (JSON: peerMs, peerThreads,
// peerRatio, or peerError when PyTorch is missing or failed; rows it does not mirror stay blank).
// Every bregman row is timed on wasm alone and on wasm + native BLAS (runtime's setNativeKernels) in alternating
// rounds (JSON: wasmMs, nativeMs, nativeSpeedup, or nativeError when the native kernels are off, with initBackend's
// reason); `ms`, the reference ratios and the PyTorch ratios are in the default configuration (wasm + native when
// on). Issue 23's targets are checked on those rows (JSON `targets`; a table of their own).
// With --json, stdout is the JSON document alone (logs go to stderr; the root script sends the build's output there
// too); pnpm itself prints its "> script" banner on stdout unless run as `pnpm -s bench:perf --json`, so
// `--json-out FILE` writes the same document to a file, whatever runs the script.
import { initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { runAnnWorkload } from './ann-workload.mjs';
import { runBregmanSuite } from './bregman-workloads.mjs';
import { runParallelWorkloads } from './parallel-workloads.mjs';
import { writeFileSync } from 'node:fs';
import { machine, printTable } from './harness.mjs';
import { checkIssue23Targets } from './issue-23-targets.mjs';
import { NATIVE_COLUMNS, nativeCells, nativeSwitch } from './native-columns.mjs';
import { PEER_COLUMNS, PEER_THREADS, peerCells } from './peer-columns.mjs';
import { startPytorchPeer } from './pytorch-peer.mjs';
import { runRuntimeSuite } from './runtime-kernels.mjs';

const args = process.argv.slice(2);
const jsonOutArg = args.indexOf('--json-out');
const jsonOut = jsonOutArg >= 0 ? args[jsonOutArg + 1] : undefined;
if (jsonOutArg >= 0 && (!jsonOut || jsonOut.startsWith('--'))) {
  console.error(`bench:perf: expected a file after --json-out, got ${jsonOut ?? 'nothing'}`);
  process.exit(2);
}
const json = args.includes('--json') || jsonOut !== undefined;
const runsArg = args.indexOf('--runs');
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 20;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:perf: expected --runs to be a positive integer, got ${args[runsArg + 1]}`);
  process.exit(2);
}

const suiteArg = args.indexOf('--suite');
const suite = suiteArg >= 0 ? args[suiteArg + 1] : 'all';
if (!['runtime', 'bregman', 'ann', 'all'].includes(suite)) {
  console.error(`bench:perf: expected --suite runtime, bregman, ann or all, got ${suite}`);
  process.exit(2);
}
const peerArg = args.indexOf('--peer');
const peerName = peerArg >= 0 ? args[peerArg + 1] : undefined;
if (peerArg >= 0 && peerName !== 'pytorch') {
  console.error(
    `bench:perf: expected --peer pytorch, got ${peerName === undefined ? 'nothing' : `--peer ${peerName}`}`,
  );
  process.exit(2);
}
const withBregman = suite === 'bregman' || suite === 'all';
if (peerName && !withBregman) console.error(`bench:perf: --peer pytorch mirrors the bregman suite only, not ${suite}`);
// Started first: if it cannot start, its reason fills the PyTorch column and the bench runs on.
const peer = peerName && withBregman ? await startPytorchPeer() : undefined;
if (peer && !peer.available) console.error(`bench:perf: ${peer.reason}`);
const info = await initBackend({ quiet: true });
const env = machine(info);
const native = nativeSwitch(info);
if (!native.available) console.error(`bench:perf: wasm alone only: ${native.reason}`);
const retrieval = !args.includes('--no-retrieval');
let runtime = [];
let bregman = [];
try {
  runtime = suite === 'runtime' || suite === 'all' ? await runRuntimeSuite({ runs, native }) : [];
  bregman = withBregman ? await runBregmanSuite({ runs, retrieval, peer, native }) : [];
  if (withBregman) {
    // Both cores, after the single-thread rows.
    bregman.push(...(await runParallelWorkloads({ runs, retrieval, peer, native })));
  }
} finally {
  await peer?.close();
}
const targets = withBregman ? checkIssue23Targets(bregman) : [];
// W5: ANN over 100k trained embeddings of Fashion-MNIST (3 runs each, whatever --runs says; width 256 adds nothing
// beyond 128 here: recall 0.999 vs 0.997).
let ann = [];
if ((suite === 'ann' || suite === 'all') && retrieval) {
  try {
    ann = await runAnnWorkload(tf, {
      widths: [16, 32, 64, 128],
      log: json ? undefined : (line) => console.error(line),
    });
  } catch (error) {
    // W5 needs the real Fashion-MNIST images (Debian `dataset-fashion-mnist`, or `bregman data fetch fashion-mnist`).
    console.error(`bench:perf: W5 skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
}
const fmt = (v, digits = 2) => (v === null || v === undefined ? '' : typeof v === 'number' ? v.toFixed(digits) : v);
if (json) {
  const document = JSON.stringify(
    {
      machine: env,
      command: `pnpm bench:perf ${args.join(' ')}`.trim(),
      ...(peer ? { peer: peer.describe() } : {}),
      runtime,
      bregman,
      targets,
      ann,
    },
    null,
    2,
  );
  if (jsonOut) writeFileSync(jsonOut, `${document}\n`);
  else console.log(document);
} else {
  console.log(
    `${env.description.replace('empirical-bregman: ', '')}, ${env.cpuModel} × ${env.cores}, node ${env.node}`,
  );
  if (runtime.length > 0)
    printTable(
      `runtime: stock wasm kernels vs @empirical-bregman/runtime's, both with native BLAS off, then patched + native BLAS (median of ${runs} runs after warm-up)`,
      runtime.map((r) => ({
        workload: r.workload,
        'stock ms': r.stockMs === null ? `fails: ${r.stockError}` : fmt(r.stockMs),
        'patched ms': fmt(r.patchedMs),
        'stock / patched': r.ratio ? `${fmt(r.ratio, 1)}×` : '',
        // Why native is off, or why its side failed; its ms otherwise.
        'patched + native ms': r.nativeError ?? fmt(r.nativeMs),
        'patched / native': r.nativeSpeedup ? `${fmt(r.nativeSpeedup, 2)}×` : '',
      })),
      ['workload', 'stock ms', 'patched ms', 'stock / patched', 'patched + native ms', 'patched / native'],
    );
  if (bregman.length > 0) {
    const torch = peer?.describe().torch;
    const peerNote = peer
      ? `; PyTorch${torch ? ` ${torch}` : ''} on ${PEER_THREADS} threads, (wasm + native) / PyTorch = our ms ÷ PyTorch's${native.available ? '' : ' (wasm alone: native is off)'}`
      : '';
    const nativeNote = native.available
      ? 'wasm alone and wasm + native BLAS in alternating rounds; reference ratios on wasm + native'
      : `wasm alone (${native.reason})`;
    printTable(
      `bregman: workloads against their references and targets (${nativeNote}; median of ${runs} runs, W4 of ${Math.min(runs, 10)}, W3 of 3; ratio = ms / reference ms, or a speed-up where the target says ≥${peerNote})`,
      bregman.map((r) => ({
        workload: r.workload,
        ...nativeCells(r),
        reference: r.referenceMs === null ? r.reference : `${r.reference} ${fmt(r.referenceMs, 1)} ms`,
        ratio: fmt(r.ratio, 2),
        target: r.target,
        status: r.met === null ? '' : r.met ? 'met' : 'MISSED',
        ...(peer ? peerCells(r) : {}),
        detail: r.detail ?? '',
      })),
      [
        'workload',
        ...NATIVE_COLUMNS,
        'reference',
        'ratio',
        'target',
        'status',
        ...(peer ? PEER_COLUMNS : []),
        'detail',
      ],
    );
    printTable(
      'issue 23 targets (same run)',
      targets.map((t) => ({
        target: t.target,
        measured: t.value === null ? '' : fmt(t.value, 2),
        goal: t.goal,
        status: t.met === null ? '' : t.met ? 'met' : 'MISSED',
        note: t.note,
      })),
      ['target', 'measured', 'goal', 'status', 'note'],
    );
  }
}
if (!json && ann.length > 0) {
  printTable(
    'W5 ANN retrieval over trained Fashion-MNIST embeddings (ms per 1,000 queries, median of 3; ratio = ANN / exact)',
    ann.map((r) => ({
      workload: r.workload,
      ms: fmt(r.ms, 1),
      reference:
        r.referenceMs === null || r.referenceMs === undefined
          ? r.reference
          : `${r.reference} ${fmt(r.referenceMs, 1)} ms`,
      ratio: fmt(r.ratio, 3),
      target: r.target,
      status: r.met === null || r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
      detail: r.detail ?? '',
    })),
    ['workload', 'ms', 'reference', 'ratio', 'target', 'status', 'detail'],
  );
}
