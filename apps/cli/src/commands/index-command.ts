import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import { type Command, Option } from 'commander';
import { CliError } from '../cli-error';
import { type CliOutput, printJson } from '../cli/cli-output';
import { readLabels } from '../io/read-labels';
import { readSamples } from '../io/read-samples';
import { requireRunFolder } from '../run/run-folder';
import { MODEL_MANIFEST } from '../tasks/retrieval/model-manifest';

export interface IndexCommandOptions {
  readonly items: string;
  readonly labels?: string;
  readonly kind?: 'exact' | 'ann';
  /** Labelled rows not in the index (with `validationLabels`): the probabilities of `predict` are fitted on them. */
  readonly validationItems?: string;
  readonly validationLabels?: string;
  readonly out: string;
  readonly quiet?: boolean;
}

export interface IndexCommandResult {
  readonly indexDir: string;
  readonly kind: 'exact' | 'ann';
  readonly items: number;
  readonly labelled: boolean;
  /** What was fitted on the validation rows (saved with the index), or null without them. */
  readonly calibration: { readonly temperature: number; readonly knnTemperature: number; readonly k: number } | null;
}

/** The model folder of a finished run that has a manifest (runs since model/manifest.json), with one-line errors. */
export function runModelDir(runDir: string, component: string): string {
  const dir = requireRunFolder(runDir, component);
  const modelDir = join(dir, 'model');
  if (!existsSync(join(modelDir, MODEL_MANIFEST)))
    throw new CliError(
      component,
      'NOT_FOUND',
      `expected a model with ${MODEL_MANIFEST} in ${modelDir}, got none: did the run finish (bregman train --resume ${dir}), or was it trained by an older version?`,
    );
  return modelDir;
}

/**
 * `bregman index RUN_DIR --items FILE [--labels FILE] [--kind exact|ann] --out DIR`: embeds reference items with the
 * run's model and saves model + index together (`@empirical-bregman/model`'s `index.save`), for `query --index`,
 * `serve --index` and `loadModelWithIndex` in code.
 */
export async function indexCommand(runDir: string, options: IndexCommandOptions): Promise<IndexCommandResult> {
  const modelDir = runModelDir(runDir, 'index');
  const out = resolve(options.out);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new CliError(
      'index',
      'INVALID_ARGUMENT',
      `expected --out to be a new or empty folder, got ${out} with files in it`,
    );
  if ((options.validationItems === undefined) !== (options.validationLabels === undefined))
    throw new CliError(
      'index',
      'INVALID_ARGUMENT',
      'expected --validation-items and --validation-labels together, got only one of them',
    );
  if (options.validationItems !== undefined && options.labels === undefined)
    throw new CliError(
      'index',
      'INVALID_ARGUMENT',
      "expected --labels with --validation-items (probabilities are over the index items' classes), got none",
    );
  await initBackend({ quiet: options.quiet });
  const model = await loadModel(modelDir);
  try {
    const size = model.sampleShape.reduce((a, b) => a * b, 1);
    const { features, count } = readSamples(options.items, size);
    const labels = options.labels !== undefined ? readLabels(options.labels, count) : undefined;
    const kind = options.kind ?? 'exact';
    const index = await model.index(features, labels, { kind });
    let calibration: IndexCommandResult['calibration'] = null;
    try {
      if (options.validationItems !== undefined && options.validationLabels !== undefined) {
        const validation = readSamples(options.validationItems, size);
        const fitted = await index.fitTemperature(
          validation.features,
          readLabels(options.validationLabels, validation.count),
        );
        calibration = { temperature: fitted.temperature, knnTemperature: fitted.knn.temperature, k: fitted.knn.k };
      }
      await index.save(out);
    } finally {
      index.dispose();
    }
    return { indexDir: out, kind, items: count, labelled: labels !== undefined, calibration };
  } finally {
    model.dispose();
  }
}

/** `bregman index RUN_DIR --items FILE [--labels FILE] [--kind exact|ann] [--validation-items F --validation-labels F] --out DIR`. */
export function registerIndexCommand(program: Command, out: CliOutput): void {
  program
    .command('index')
    .description(
      "embed reference items with a run's model and save model + index together (for query --index, serve --index, and code)",
    )
    .argument('<runDir>', 'a finished run folder')
    .requiredOption('--items <file>', "reference items (.npy, .json rows or .csv), raw, in the model's sample shape")
    .option('--labels <file>', 'their class labels (.json array of integers, or one integer per line)')
    .addOption(
      new Option('--kind <kind>', 'exact (anywhere) or ann (HNSW, Node; Bregman heads)').choices(['exact', 'ann']),
    )
    .option(
      '--validation-items <file>',
      "labelled rows NOT in the index: predict's class probabilities (centroid τ, k-NN kernel) are fitted on them and saved with the index",
    )
    .option('--validation-labels <file>', 'their class labels (as --labels)')
    .requiredOption('--out <dir>', 'a new folder for the index (the model is copied into it)')
    .option('--json', 'print the result as one JSON document on stdout')
    .option('-q, --quiet', 'no backend line')
    .action(async (runDir: string, opts: IndexCommandOptions & { json?: boolean }) => {
      const result = await indexCommand(runDir, opts);
      if (opts.json) printJson(out, result);
      else
        out.stdout(
          `saved a ${result.kind} index of ${result.items} items${result.labelled ? ' with labels' : ''}${result.calibration ? `, probabilities fitted (τ ${result.calibration.temperature.toPrecision(3)}, k-NN τ′ ${result.calibration.knnTemperature.toPrecision(3)} at k ${result.calibration.k})` : ''} to ${result.indexDir}\n`,
        );
    });
}
