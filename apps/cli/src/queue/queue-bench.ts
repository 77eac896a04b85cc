import { join, relative, resolve } from 'node:path';
import type { BenchPlan, SuiteName } from '../bench/bench-suite';
import { gridResultLine, writeBenchReport, writePlan } from '../bench/write-bench-report';
import type { BenchReportData } from '../report/report-data';
import { createRunFolder, writeJson } from '../run/run-folder';
import { ensureRedisReachable } from './check-redis';
import { jobIdFor } from './queue-job';
import { createQueueStatus } from './queue-status';
import { parseRedisUrl } from './redis-url';
import { runGridOnQueue } from './run-grid-on-queue';

export interface QueueBenchOptions {
  readonly suite: SuiteName;
  /** `redis://[[user]:password@]host[:port][/db]`. */
  readonly queue: string;
  /** Folder that receives the bench folder and, in `queue/`, the run folders (default `runs`). */
  readonly outDir?: string;
  readonly quiet?: boolean;
}

/**
 * The queue path of `bregman bench`: Redis is checked before anything is written, the bench folder gets plan.json, the runs go to
 * `<out>/queue/<run>-<config hash>/` (stable, so a re-submission finds them), then the same report as in-process.
 * `queue.json` records which host and backend ran each job.
 */
export async function queueBench(
  plan: BenchPlan,
  options: QueueBenchOptions,
): Promise<{ dir: string; data: BenchReportData }> {
  const target = parseRedisUrl(options.queue, '--queue');
  await ensureRedisReachable(target, 'bench --queue');
  const status = createQueueStatus({ quiet: options.quiet });
  const outDir = options.outDir ?? 'runs';
  const runsDir = resolve(outDir, 'queue');
  const dir = createRunFolder(outDir, `bench-${options.suite}`);
  writePlan(dir, options.suite, plan, { queue: target.display, runsDir });
  status.line(
    `bench ${options.suite}: ${plan.items.length} runs${plan.skipped.length ? `, ${plan.skipped.length} skipped` : ''} through the job queue; folder ${dir}`,
  );
  const started = Date.now();
  let done = 0;
  const results = await runGridOnQueue(plan.items, {
    target,
    runsDir,
    status,
    onResult: (i, r, earlier) => {
      done++;
      const how =
        earlier || r.reused
          ? ' (finished before: reused)'
          : r.resumedFromEpoch !== null
            ? ` (resumed after epoch ${r.resumedFromEpoch})`
            : '';
      status.line(`${gridResultLine(done, plan.items.length, plan.items[i]!.name, r)} on ${r.host}${how}`);
    },
  });
  writeJson(join(dir, 'queue.json'), {
    queue: target.display,
    jobs: plan.items.map((item, i) => ({
      name: item.name,
      jobId: jobIdFor(item.config),
      runDir: relative(dir, results[i]!.dir),
      host: results[i]!.host,
      backend: results[i]!.report.backend,
      seconds: results[i]!.seconds,
      reused: results[i]!.reused,
      resumedFromEpoch: results[i]!.resumedFromEpoch,
    })),
  });
  const data = await writeBenchReport(dir, options.suite, plan, results, results[0]!.report.backend);
  status.line(
    `bench ${options.suite} finished in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${join(dir, 'results.md')} and ${join(dir, 'report.html')}`,
  );
  return { dir, data };
}
