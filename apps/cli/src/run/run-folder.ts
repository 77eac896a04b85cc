import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureDirectory } from '@empirical-bregman/node-io';
import { writeFileAtomic } from '@empirical-bregman/runtime/node';
import { CliError } from '../cli-error';

/** `runs/<timestamp>-<name>/`: created only when a run really starts (a failed validation writes nothing). */
export function createRunFolder(outDir: string, name: string, date = new Date()): string {
  const stamp = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  ensureDirectory(outDir, 'the output folder (--out)');
  let dir = resolve(outDir, `${stamp}-${name}`);
  for (let i = 2; existsSync(dir); i++) dir = resolve(outDir, `${stamp}-${name}-${i}`);
  ensureDirectory(dir, 'the run folder');
  return dir;
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
