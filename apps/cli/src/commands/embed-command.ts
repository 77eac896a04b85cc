import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { initBackend, writeFileAtomic } from '@empirical-bregman/runtime';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliOutput } from '../cli/cli-output';
import { encodeNpy } from '../io/npy';
import { prepareData } from '../tasks/retrieval/prepare-data';
import { embedInputFile, loadRun } from './load-run';

/** `bregman embed RUN_DIR --input FILE [--output FILE]`: writes embeddings as .npy or .json (by extension). */
export async function embedCommand(
  runDir: string,
  input: string,
  output: string | undefined,
  options: { quiet?: boolean } = {},
): Promise<string> {
  const out = output ?? `${input.replace(/\.[^.]+$/, '')}.embeddings.json`;
  if (!['.npy', '.json'].includes(extname(out).toLowerCase())) {
    throw new CliError('embed', 'INVALID_ARGUMENT', `expected --output to end in .npy or .json, got ${out}`);
  }
  await initBackend({ quiet: options.quiet });
  const { config, trunk, divergence } = await loadRun(runDir, 'embed');
  try {
    const { embeddings, count } = embedInputFile(trunk, await prepareData(config), input);
    const values = (await embeddings.data()) as Float32Array;
    const dim = embeddings.shape[1];
    embeddings.dispose();
    if (extname(out).toLowerCase() === '.npy') writeFileAtomic(out, encodeNpy(values, [count, dim]));
    else
      writeFileSync(
        out,
        `${JSON.stringify(Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * dim, (i + 1) * dim))))}\n`,
      );
    return `wrote ${count} embeddings of dimension ${dim} to ${out}\n`;
  } finally {
    trunk.dispose();
    divergence.dispose();
  }
}

/** `bregman embed RUN_DIR --input FILE [--output FILE]`. */
export function registerEmbedCommand(program: Command, out: CliOutput): void {
  program
    .command('embed')
    .description("embed new samples with a run's trained network; writes .npy or .json")
    .argument('<runDir>', 'a finished run folder')
    .requiredOption('--input <file>', "samples (.npy, .json rows or .csv), in the run dataset's sample shape")
    .option('--output <file>', 'where to write the embeddings (.npy or .json; default <input>.embeddings.json)')
    .option('-q, --quiet', 'no backend line')
    .action(async (runDir: string, opts: { input: string; output?: string; quiet?: boolean }) => {
      out.stdout(await embedCommand(runDir, opts.input, opts.output, { quiet: opts.quiet }));
    });
}
