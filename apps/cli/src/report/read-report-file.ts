import { CliError } from '../cli-error';
import { readJson } from '../run/run-folder';
import { type BenchReportData, type RunReportData, upgradeReportJson } from './report-data';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first key a run's results.json lacks (or has of the wrong kind), or null. */
function runShapeProblem(v: Record<string, unknown>): string | null {
  if (typeof v.title !== 'string') return '"title" (text)';
  if (!isObject(v.backend) || typeof v.backend.backend !== 'string') return '"backend" ({ backend, … })';
  if (!isObject(v.config)) return '"config" (an object)';
  if (!Array.isArray(v.curves)) return '"curves" (a list)';
  if (!Array.isArray(v.results) || !v.results.every((r) => isObject(r) && isObject(r.metrics)))
    return '"results" (a list of rows with metrics)';
  return null;
}

/** The first key a bench's results.json lacks (or has of the wrong kind), or null. */
function benchShapeProblem(v: Record<string, unknown>): string | null {
  if (typeof v.title !== 'string') return '"title" (text)';
  if (!isObject(v.backend)) return '"backend" (an object)';
  if (!Array.isArray(v.runs) || !v.runs.every((r) => isObject(r) && isObject(r.metrics)))
    return '"runs" (a list of runs with metrics)';
  if (!Array.isArray(v.skipped)) return '"skipped" (a list)';
  return null;
}

/**
 * A results.json as this version reads it (older key names upgraded), checked for the keys the reports and
 * `bench --resume` use, so a damaged or foreign file is one line and exit code 3, never a TypeError.
 */
export function readReportFile(
  path: string,
  component: string,
  kind: 'run' | 'run-or-bench' = 'run-or-bench',
): RunReportData | BenchReportData {
  const value: unknown = upgradeReportJson(readJson<unknown>(path, component));
  if (!isObject(value))
    throw new CliError(
      component,
      'BAD_FORMAT',
      `expected an object in ${path}, got ${Array.isArray(value) ? 'a list' : String(value)}`,
    );
  const bench = kind === 'run-or-bench' && 'runs' in value;
  const problem = bench ? benchShapeProblem(value) : runShapeProblem(value);
  if (problem)
    throw new CliError(
      component,
      'BAD_FORMAT',
      `expected the results.json of a ${bench ? 'bench' : 'run'} at ${path}, got one without ${problem}`,
    );
  return value as unknown as RunReportData | BenchReportData;
}

/** A run's results.json (see {@link readReportFile}). */
export function readRunReport(path: string, component: string): RunReportData {
  return readReportFile(path, component, 'run') as RunReportData;
}
