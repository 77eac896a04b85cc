import { dataDirectory, listDatasets } from '@empirical-bregman/datasets/node';
import { CliError } from '../cli-error';

/**
 * Checks, before anything is written, that a run's dataset can be loaded on this machine without a download; a
 * missing one is an UNAVAILABLE error (exit code 5) naming the cache folder and the command that fetches it. Names
 * the catalogue does not list (the divergence-regression task) are generated and always present.
 */
export function requireDatasetPresent(name: string, component: string): void {
  const listing = listDatasets().find((d) => d.name === name);
  if (!listing || listing.available) return;
  throw new CliError(
    component,
    'UNAVAILABLE',
    `expected the ${name} data on this machine (in ${dataDirectory()}, or BREGMAN_DATA_DIR), got none: fetch it with \`bregman data fetch ${name}\``,
  );
}
