import { CliError } from '../cli-error';
import { QUEUE_OUT_ENV } from '../queue/queue-job';
import { FAULT_ENV } from '../fault-injection';

/** The job queue's URL (with its password), so it need not appear in argv (`ps`, shell history). */
export const REDIS_URL_ENV = 'BREGMAN_REDIS_URL';

/**
 * Every environment variable the CLI (and the packages it runs) reads, one line each, for `bregman --help` and the
 * README.
 */
export const ENVIRONMENT_VARIABLES: readonly { readonly name: string; readonly doc: string }[] = [
  {
    name: 'BREGMAN_DATA_DIR',
    doc: "dataset cache folder (default: the OS's cache folder, e.g. ~/.cache/empirical-bregman)",
  },
  { name: 'BREGMAN_BACKEND', doc: 'force the tfjs backend: tensorflow, wasm or cpu' },
  { name: REDIS_URL_ENV, doc: 'job queue URL for bench --queue / worker when --queue gives none' },
  { name: QUEUE_OUT_ENV, doc: 'internal: set by `worker --out DIR` for its job processes' },
  { name: FAULT_ENV, doc: 'tests only: make a named point fail (see the README)' },
];

/** The environment section of `bregman --help`. */
export function environmentHelp(): string {
  const width = Math.max(...ENVIRONMENT_VARIABLES.map((v) => v.name.length));
  return `Environment:\n${ENVIRONMENT_VARIABLES.map((v) => `  ${v.name.padEnd(width)}  ${v.doc}`).join('\n')}`;
}

/**
 * The job queue's URL from `--queue [url]`: the flag's value when it has one, else (a bare `--queue`, or no flag
 * where a queue is required) `$BREGMAN_REDIS_URL`. Undefined when there is no flag and the queue is optional: the
 * variable alone never sends a bench to a queue.
 */
export function queueUrl(
  option: string | boolean | undefined,
  { command, required }: { command: string; required: boolean },
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  if (typeof option === 'string') return option;
  if (option === undefined && !required) return undefined;
  const fromEnv = env[REDIS_URL_ENV];
  if (fromEnv) return fromEnv;
  throw new CliError(
    command,
    'INVALID_ARGUMENT',
    `expected a queue URL in --queue URL or in $${REDIS_URL_ENV}, got ${option === undefined ? 'neither' : 'a bare --queue and no variable'}`,
  );
}
