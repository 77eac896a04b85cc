import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import { writeFileAtomic } from '@empirical-bregman/runtime/node';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliOutput } from '../cli/cli-output';
import { encodeNpy } from '../io/npy';
import { readSamples } from '../io/read-samples';
import { MODEL_MANIFEST } from '../tasks/retrieval/model-manifest';
import { embedInputFile, loadRun, prepareRunData } from './load-run';

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
  if (!existsSync(dirname(resolve(out))))
    throw new CliError(
      'embed',
      'NOT_FOUND',
      `expected the folder of --output ${out} to exist, got no folder ${dirname(resolve(out))}`,
    );
  await initBackend({ quiet: options.quiet });
  const { values, count, dim } = await embedWithRun(runDir, input);
  if (extname(out).toLowerCase() === '.npy') writeFileAtomic(out, encodeNpy(values, [count, dim]));
  else
    writeFileAtomic(
      out,
      `${JSON.stringify(Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * dim, (i + 1) * dim))))}\n`,
    );
  return `wrote ${count} embeddings of dimension ${dim} to ${out}\n`;
}

/**
 * The embeddings of an input file under a run's model. A run with `model/manifest.json` is used through
 * `@empirical-bregman/model` alone (its preprocessing is in the manifest: no training data needed); an older run
 * rebuilds the preprocessing from its data.
 */
async function embedWithRun(
  runDir: string,
  input: string,
): Promise<{ values: Float32Array; count: number; dim: number }> {
  const { dir, config, trunk, divergence } = await loadRun(runDir, 'embed');
  try {
    if (existsSync(join(dir, 'model', MODEL_MANIFEST))) {
      const model = await loadModel(join(dir, 'model'));
      try {
        const size = model.manifest.input.sampleShape.reduce((a, b) => a * b, 1);
        const { features, count } = readSamples(input, size);
        return { values: await model.embedArray(features), count, dim: model.manifest.embeddingDim };
      } finally {
        model.dispose();
      }
    }
    const { embeddings, count } = embedInputFile(trunk, await prepareRunData(dir, config, 'embed'), input);
    const dim = embeddings.shape[1];
    try {
      return { values: (await embeddings.data()) as Float32Array, count, dim };
    } finally {
      embeddings.dispose();
    }
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
