import { join, relative, resolve } from 'node:path';
import { initBackend } from '@empirical-bregman/runtime';
import type { BenchPlan, SuiteName } from '../bench/bench-suite';
import { writePlan } from '../bench/plan-file';
import { type BenchResults, gridFailureLine, gridResultLine, writeBenchReport } from '../bench/write-bench-report';
import { createRunFolder, writeJson } from '../run/run-folder';
import { backendSummary } from '../run/train-run';
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
 * The queue path of `bregman bench`: Redis is checked before anything is written, the bench folder gets plan.json,
 * the runs go to `<out>/queue/<run>-<config hash>/` (stable, so a re-submission finds them), then the same report
 * as in-process, failed runs marked. `queue.json` records which host and backend ran each job, or why it failed.
 */
export async function queueBench(
  plan: BenchPlan,
  options: QueueBenchOptions,
): Promise<{ dir: string; data: BenchResults; cells: number }> {
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
  const total = plan.items.length;
  const outcomes = await runGridOnQueue(plan.items, {
    target,
    runsDir,
    status,
    onOutcome: (i, outcome, earlier) => {
      done++;
      const name = plan.items[i]!.name;
      if (outcome.status === 'failed') {
        status.line(gridFailureLine(done, total, name, outcome.error));
        return;
      }
      const r = outcome.result;
      const how =
        earlier || r.reused
          ? ' (finished before: reused)'
          : r.resumedFromEpoch !== null
            ? ` (resumed after epoch ${r.resumedFromEpoch})`
            : '';
      status.line(`${gridResultLine(done, total, name, r)} on ${r.host}${how}`);
    },
  });
  writeJson(join(dir, 'queue.json'), {
    queue: target.display,
    jobs: plan.items.map((item, i) => {
      const outcome = outcomes[i]!;
      const job = { name: item.name, jobId: jobIdFor(item.config) };
      if (outcome.status === 'failed') return { ...job, runDir: relative(dir, outcome.dir), error: outcome.error };
      const r = outcome.result;
      return {
        ...job,
        runDir: relative(dir, r.dir),
        host: r.host,
        backend: r.report.backend,
        seconds: r.seconds,
        reused: r.reused,
        resumedFromEpoch: r.resumedFromEpoch,
      };
    }),
  });
  // The backend of the workers that ran; this machine's only when every job failed.
  const ran = outcomes.find((o) => o.status === 'finished');
  const backend = ran ? ran.result.report.backend : backendSummary(await initBackend({ quiet: true }));
  const data = await writeBenchReport(dir, options.suite, plan, outcomes, backend);
  status.line(
    `bench ${options.suite} finished in ${((Date.now() - started) / 1000).toFixed(0)} s${data.failed.length ? ` with ${data.failed.length} failed` : ''}; wrote ${join(dir, 'results.md')} and ${join(dir, 'report.html')}`,
  );
  return { dir, data, cells: total };
}
