import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BackendInfo, WorkerPool, initBackend } from '@empirical-bregman/runtime';
import { type BenchSelection, planBench } from '../bench/bench-suite';
import { type GridItemResult, runGridItem } from '../bench/run-grid-item';
import { BenchError } from '../bench-error';
import { renderBenchMarkdown, renderBenchReport } from '../report/index';
import type { BenchReportData, BenchRun } from '../report/report-data';
import { createProgress } from '../run/progress';
import { createRunFolder, writeJson } from '../run/run-folder';
import { backendSummary } from '../run/train-run';

export interface BenchCommandOptions extends BenchSelection {
  readonly outDir?: string;
  /** Parallel runs in worker threads (default: min(2, cores)); 1 runs in this process. */
  readonly workers?: number;
  readonly quiet?: boolean;
}

/** The bench's compiled worker task (dist/bench-task.js), next to this module once built. */
function benchTaskPath(): string | null {
  for (const candidate of ['./bench-task.js', '../dist/bench-task.js', '../../dist/bench-task.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return null;
}

/** `bregman bench`: a grid of runs, one comparison table (mean ± 95% CI over seeds) and a comparison page. */
export async function benchCommand(options: BenchCommandOptions): Promise<{ dir: string; data: BenchReportData }> {
  const plan = planBench(options);
  const workers = options.workers ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1)
    throw new BenchError('bench', 'INVALID_ARGUMENT', `--workers must be a positive integer; got ${workers}`);
  const progress = createProgress({ quiet: options.quiet });
  const backend: BackendInfo = await initBackend({ quiet: options.quiet });
  const dir = createRunFolder(options.outDir ?? 'runs', `bench-${options.suite}`);
  writeJson(join(dir, 'plan.json'), {
    suite: options.suite,
    items: plan.items.map((i) => i.config),
    skipped: plan.skipped,
  });
  progress.line(
    `bench ${options.suite}: ${plan.items.length} runs${plan.skipped.length ? `, ${plan.skipped.length} skipped` : ''}, ${workers} worker${workers > 1 ? 's' : ''}; folder ${dir}`,
  );

  const started = Date.now();
  const results: (GridItemResult | undefined)[] = new Array(plan.items.length);
  let done = 0;
  const report = (i: number, r: GridItemResult) => {
    results[i] = r;
    done++;
    const trained = r.rows.filter((row) => row.model === 'trained');
    const summary = trained
      .map((row) => `MAP@R ${(row.metrics.mapAtR ?? Number.NaN).toFixed(3)}${row.queryIn ? ` (${row.queryIn})` : ''}`)
      .join(', ');
    progress.line(`[${done}/${plan.items.length}] ${plan.items[i]!.name}: ${summary} in ${r.seconds.toFixed(0)} s`);
  };
  const taskPath = workers > 1 ? benchTaskPath() : null;
  if (taskPath) {
    const pool = await WorkerPool.create({ size: workers });
    try {
      await Promise.all(
        plan.items.map((item, i) =>
          pool
            .run<GridItemResult>(taskPath, 'runGridItemTask', { config: item.config, dir: join(dir, item.name) })
            .then((r) => report(i, r)),
        ),
      );
    } finally {
      await pool.close();
    }
  } else {
    for (const [i, item] of plan.items.entries()) {
      mkdirSync(join(dir, item.name), { recursive: true });
      report(i, await runGridItem({ config: item.config, dir: join(dir, item.name) }, backend));
    }
  }

  const runs: BenchRun[] = [];
  const seenReference = new Set<string>();
  for (const [i, item] of plan.items.entries()) {
    for (const row of results[i]!.rows) {
      // Raw-input rows are the same in every run of a (dataset, protocol, seed): keep one.
      if (row.model === 'raw input') {
        const key = `${item.config.dataset}/${row.protocol}/${item.config.seed}/${row.divergence}`;
        if (seenReference.has(key)) continue;
        seenReference.add(key);
      }
      runs.push({
        dataset: item.config.dataset,
        protocol: row.protocol,
        divergence: row.divergence,
        seed: item.config.seed,
        model: row.model,
        metrics: row.metrics,
        runDir: item.name,
        ...(row.queryIn ? { queryIn: row.queryIn } : {}),
      });
    }
  }
  const data: BenchReportData = {
    title: `bregman bench --suite ${options.suite}`,
    createdAt: new Date().toISOString(),
    backend: backendSummary(backend),
    suite: options.suite,
    runs,
    skipped: plan.skipped,
  };
  writeJson(join(dir, 'results.json'), data);
  writeFileSync(join(dir, 'results.md'), renderBenchMarkdown(data));
  writeFileSync(join(dir, 'report.html'), await renderBenchReport(data));
  progress.line(
    `bench ${options.suite} finished in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${join(dir, 'results.md')} and ${join(dir, 'report.html')}`,
  );
  return { dir, data };
}
