// pnpm bench:perf [--json] [--runs N] [--suite runtime|bregman|all] [--no-retrieval] — performance workloads, as a
// table and (with --json) as JSON. Timings live here, never in unit tests.
import { initBackend } from '@empirical-bregman/runtime';
import { runBregmanSuite } from './bregman-workloads.mjs';
import { runParallelWorkloads } from './parallel-workloads.mjs';
import { machine, printTable } from './harness.mjs';
import { runRuntimeSuite } from './runtime-kernels.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runsArg = args.indexOf('--runs');
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 20;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:perf: expected --runs to be a positive integer, got ${args[runsArg + 1]}`);
  process.exit(2);
}

const suiteArg = args.indexOf('--suite');
const suite = suiteArg >= 0 ? args[suiteArg + 1] : 'all';
if (!['runtime', 'bregman', 'all'].includes(suite)) {
  console.error(`bench:perf: expected --suite runtime, bregman or all, got ${suite}`);
  process.exit(2);
}
const info = await initBackend({ quiet: true });
const env = machine(info);
const runtime = suite === 'bregman' ? [] : await runRuntimeSuite({ runs });
const retrieval = !args.includes('--no-retrieval');
const bregman = suite === 'runtime' ? [] : await runBregmanSuite({ runs, retrieval });
if (suite !== 'runtime') {
  // Both cores: after the single-thread rows, so that W3's in-process time of this run is the reference.
  const w3 = bregman.find((r) => r.workload.startsWith('W3 '));
  bregman.push(...(await runParallelWorkloads({ runs, w3InProcessMs: w3 ? w3.ms : null })));
}
const fmt = (v, digits = 2) => (v === null || v === undefined ? '' : typeof v === 'number' ? v.toFixed(digits) : v);
if (json) {
  console.log(
    JSON.stringify({ machine: env, command: `pnpm bench:perf ${args.join(' ')}`.trim(), runtime, bregman }, null, 2),
  );
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
        status: r.met ? 'met' : 'MISSED',
        detail: r.detail ?? '',
      })),
      ['workload', 'ms', 'reference', 'ratio', 'target', 'status', 'detail'],
    );
  }
}
