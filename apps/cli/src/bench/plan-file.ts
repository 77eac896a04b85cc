import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error';
import { runName } from '../config/run-config';
import { validateRunConfig } from '../config/validate-run-config';
import { readJson, writeJson } from '../run/run-folder';
import { type BenchPlan, SUITES, type SuiteName } from './bench-suite';

/** plan.json of a bench folder: the grid's validated configs and the skipped cells (plus, e.g., the queue used). */
export function writePlan(dir: string, suite: SuiteName, plan: BenchPlan, extra: Record<string, unknown> = {}): void {
  writeJson(join(dir, 'plan.json'), {
    suite,
    items: plan.items.map((i) => i.config),
    // Only in a suite with a methods axis, so the plan.json of the other suites stays as it was.
    ...(plan.items.some((i) => i.method !== undefined) ? { methods: plan.items.map((i) => i.method ?? null) } : {}),
    // Only in a `--tune` bench: which trial of its method each cell is (tuning.json is written from them).
    ...(plan.items.some((i) => i.trial !== undefined) ? { trials: plan.items.map((i) => i.trial ?? null) } : {}),
    skipped: plan.skipped,
    ...extra,
  });
}

/**
 * The plan of an in-process bench folder, for `bench --resume DIR`: its suite and grid, each config validated again
 * (a folder of another version fails with the key at fault). A queue bench is refused: submitting its grid again is
 * how it resumes.
 */
export function readPlan(benchDir: string, component: string): { dir: string; suite: SuiteName; plan: BenchPlan } {
  const dir = resolve(benchDir);
  const path = join(dir, 'plan.json');
  if (!existsSync(path)) {
    throw new CliError(
      component,
      'NOT_FOUND',
      `expected a bench folder with plan.json at ${dir}, got ${existsSync(dir) ? 'a folder without plan.json' : 'no such folder'}`,
    );
  }
  const raw = readJson<{
    suite?: unknown;
    items?: unknown;
    methods?: unknown;
    trials?: unknown;
    skipped?: unknown;
    queue?: unknown;
  }>(path, component);
  if (raw.queue !== undefined) {
    throw new CliError(
      component,
      'INVALID_ARGUMENT',
      `expected the folder of an in-process bench, got one run through the job queue ${JSON.stringify(raw.queue)} (submit the same grid again: finished runs are reused, failed ones retried)`,
    );
  }
  const { methods, trials } = raw;
  const perItem = (list: unknown, ok: (v: unknown) => boolean) =>
    list === undefined ||
    (Array.isArray(list) && Array.isArray(raw.items) && list.length === raw.items.length && list.every(ok));
  if (
    !SUITES.includes(raw.suite as SuiteName) ||
    !Array.isArray(raw.items) ||
    !Array.isArray(raw.skipped) ||
    !perItem(methods, (m) => m === null || typeof m === 'string') ||
    !perItem(trials, (t) => t === null || (Number.isInteger(t) && (t as number) >= 0))
  ) {
    throw new CliError(
      component,
      'BAD_FORMAT',
      `expected ${path} to hold { suite, items, skipped } (and methods, trials: one value or null per item), got another shape`,
    );
  }
  const items = raw.items.map((value, i) => {
    const config = validateRunConfig(value, `${path} items[${i}]`);
    const method = (methods as (string | null)[] | undefined)?.[i];
    const trial = (trials as (number | null)[] | undefined)?.[i];
    return {
      config,
      name: runName(config),
      ...(typeof method === 'string' ? { method } : {}),
      ...(typeof trial === 'number' ? { trial } : {}),
    };
  });
  return { dir, suite: raw.suite as SuiteName, plan: { items, skipped: raw.skipped as BenchPlan['skipped'] } };
}
