import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@empirical-bregman/runtime';
import { CliError } from '../cli-error';

/** `runs/<timestamp>-<name>/`: created only when a run really starts (a failed validation writes nothing). */
export function createRunFolder(outDir: string, name: string, date = new Date()): string {
  const stamp = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  ensureFolder(outDir, 'the output folder (--out)');
  let dir = resolve(outDir, `${stamp}-${name}`);
  for (let i = 2; existsSync(dir); i++) dir = resolve(outDir, `${stamp}-${name}-${i}`);
  ensureFolder(dir, 'the run folder');
  return dir;
}

/**
 * Creates `path` and its missing parents one level at a time, with one-line errors naming the path and the cause (a
 * file where a folder should be, no permission). Not `mkdirSync({ recursive: true })`: it reports ENOTDIR and EACCES
 * as plain errors, and on /proc (`--out /proc/x`) Node's recursive mkdir loops at 100% CPU for minutes.
 */
export function ensureFolder(path: string, what: string): string {
  const full = resolve(path);
  const missing: string[] = [];
  let existing = full;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (existsSync(existing) && !statSync(existing).isDirectory())
    throw new CliError('output', 'IO', `expected a folder for ${what} at ${existing}, got a file`);
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(dir).isDirectory()) continue;
      throw new CliError('output', 'IO', `cannot create ${what} at ${dir}: ${code ?? (error as Error).message}`);
    }
  }
  return full;
}

/** Checks that `dir` is a run folder (has config.json), with a one-line error otherwise. */
export function requireRunFolder(dir: string, component: string): string {
  const full = resolve(dir);
  if (!existsSync(join(full, 'config.json'))) {
    throw new CliError(
      component,
      'NOT_FOUND',
      `expected a run folder with config.json at ${full}, got ${existsSync(full) ? 'a folder without config.json' : 'no such folder'}`,
    );
  }
  return full;
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(path: string, component: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new CliError(
      component,
      'BAD_FORMAT',
      `expected JSON at ${path}, got: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

/** Appends one JSON line to `metrics.jsonl` (a crash loses at most the line being written). */
export function appendMetrics(dir: string, record: Record<string, unknown>): void {
  appendFileSync(join(dir, 'metrics.jsonl'), `${JSON.stringify(record)}\n`);
}
