// pnpm bench:perf [--json] [--runs N] — performance workloads, as a table and (with --json) as JSON.
import { initBackend } from '@empirical-bregman/runtime';
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

const info = await initBackend({ quiet: true });
const env = machine(info);
const runtime = await runRuntimeSuite({ runs });
const fmt = (v, digits = 2) => (v === null || v === undefined ? '' : typeof v === 'number' ? v.toFixed(digits) : v);
if (json) {
  console.log(JSON.stringify({ machine: env, command: `pnpm bench:perf ${args.join(' ')}`.trim(), runtime }, null, 2));
} else {
  console.log(
    `backend ${env.backend} (SIMD ${env.simd}, ${env.threads} thread), tfjs ${env.tfjsVersion}, ${env.cpuModel} × ${env.cores}, node ${env.node}`,
  );
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
}
