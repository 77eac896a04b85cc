import { readFileSync } from 'node:fs';

/** This package's version (from its package.json: one place, read at start-up), for `--version` and model manifests. */
export const CLI_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
