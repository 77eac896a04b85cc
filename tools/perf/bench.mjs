// pnpm bench:perf [--json] [--json-out FILE] [--runs N] [--suite runtime|bregman|ann|all] [--no-retrieval] —
// performance workloads, as a table and (with --json) as JSON. Timings live here, never in unit tests.
// `--no-retrieval` skips W3 and W5. With --json, stdout is the JSON document alone (logs go to stderr; the root script
// sends the build's output there too); pnpm itself prints its "> script" banner on stdout unless run as
// `pnpm -s bench:perf --json`, so `--json-out FILE` writes the same document to a file, whatever runs the script.
import { initBackend } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { runAnnWorkload } from './ann-workload.mjs';
import { runBregmanSuite } from './bregman-workloads.mjs';
import { runParallelWorkloads } from './parallel-workloads.mjs';
import { writeFileSync } from 'node:fs';
import { machine, printTable } from './harness.mjs';
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
const info = await initBackend({ quiet: true });
const env = machine(info);
const runtime = suite === 'runtime' || suite === 'all' ? await runRuntimeSuite({ runs }) : [];
const retrieval = !args.includes('--no-retrieval');
const bregman = suite === 'bregman' || suite === 'all' ? await runBregmanSuite({ runs, retrieval }) : [];
if (suite === 'bregman' || suite === 'all') {
  // Both cores, after the single-thread rows.
  bregman.push(...(await runParallelWorkloads({ runs, retrieval })));
}
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
    { machine: env, command: `pnpm bench:perf ${args.join(' ')}`.trim(), runtime, bregman, ann },
    null,
    2,
  );
  if (jsonOut) writeFileSync(jsonOut, `${document}\n`);
  else console.log(document);
} else {
  console.log(
    `backend ${env.backend} (SIMD ${env.simd}, ${env.threads} thread), tfjs ${env.tfjsVersion}, ${env.cpuModel} × ${env.cores}, node ${env.node}`,
  );
  if (runtime.length > 0)
    printTable(
      `runtime: stock wasm kernels vs @empirical-bregman/runtime's (median of ${runs} runs after warm-up)`,
      runtime.map((r) => ({
        workload: r.workload,
        'stock ms': r.stockMs === null ? `fails: ${r.stockError}` : fmt(r.stockMs),
        'patched ms': fmt(r.patchedMs),
        'stock / patched': r.ratio ? `${fmt(r.ratio, 1)}×` : '',
      })),
      ['workload', 'stock ms', 'patched ms', 'stock / patched'],
    );
  if (bregman.length > 0) {
    printTable(
      `bregman: workloads against their references and targets (median of ${runs} runs; W3 median of 3; ratio = ms / reference ms, or a speed-up where the target says ≥)`,
      bregman.map((r) => ({
        workload: r.workload,
        ms: fmt(r.ms, 1),
        reference: r.referenceMs === null ? r.reference : `${r.reference} ${fmt(r.referenceMs, 1)} ms`,
        ratio: fmt(r.ratio, 2),
        target: r.target,
        status: r.met === null ? '' : r.met ? 'met' : 'MISSED',
        detail: r.detail ?? '',
      })),
      ['workload', 'ms', 'reference', 'ratio', 'target', 'status', 'detail'],
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
