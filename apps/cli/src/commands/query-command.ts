import { type QuerySlot, resolveQuerySlot } from '@empirical-bregman/bregman-core';
import type { BregmanModel, BregmanModelIndex } from '@empirical-bregman/model';
import { loadModel, loadModelWithIndex } from '@empirical-bregman/model/node';
import { exactKnn } from '@empirical-bregman/search';
import { resolve } from 'node:path';
import { initBackend } from '@empirical-bregman/runtime';
import { type Command, Option } from 'commander';
import { CliError } from '../cli-error';
import { type CliOutput, printJson } from '../cli/cli-output';
import { positiveInteger, requirePositiveInteger } from '../cli/flag-parsers';
import { readLabels } from '../io/read-labels';
import { readSamples } from '../io/read-samples';
import { embedAll } from '../tasks/retrieval/embeddings';
import { runModelDir } from './index-command';
import { embedInputFile, loadRun, prepareRunData } from './load-run';

export interface QueryOptions {
  readonly k?: number;
  readonly querySlot?: QuerySlot;
  readonly quiet?: boolean;
  /** Search these raw reference items (.npy, .json rows or .csv) instead of the run's test part. */
  readonly references?: string;
  /** Their labels (with `references`): a .json array of integers, or one per line. */
  readonly referenceLabels?: string;
  /** Search a saved index (`bregman index … --out DIR`) instead of the run's test part. */
  readonly index?: string;
}

/** What `bregman query` prints (as JSON). */
export interface QueryAnswer {
  /** The items searched: the run's test part. */
  readonly references: string;
  readonly querySlot: QuerySlot;
  /** One entry per sample of the input file, in its order; neighbours nearest first. */
  readonly results: {
    readonly query: number;
    /** `label` is absent for references given without labels. */
    readonly neighbours: { readonly index: number; readonly label?: number; readonly divergence: number }[];
  }[];
}

/**
 * `bregman query RUN_DIR --input FILE`: the k nearest items of the run's test part for each sample of FILE, under
 * the learned divergence with the query in the left slot (D(q, r)) or the right (D(r, q)).
 */
export async function queryCommand(runDir: string, input: string, options: QueryOptions = {}): Promise<QueryAnswer> {
  const k = requirePositiveInteger(options.k ?? 10, '--k');
  if (options.references !== undefined && options.index !== undefined)
    throw new CliError('query', 'INVALID_ARGUMENT', 'expected --references or --index, got both');
  if (options.referenceLabels !== undefined && options.references === undefined)
    throw new CliError('query', 'INVALID_ARGUMENT', 'expected --reference-labels only with --references');
  await initBackend({ quiet: options.quiet });
  if (options.references !== undefined || options.index !== undefined) return queryWithModel(runDir, input, k, options);
  const { dir, config, trunk, divergence } = await loadRun(runDir, 'query');
  try {
    const data = await prepareRunData(dir, config, 'query');
    if (k > data.test.labels.length) {
      throw new CliError(
        'query',
        'INVALID_ARGUMENT',
        `expected --k ≤ ${data.test.labels.length} (the references), got ${k}`,
      );
    }
    const { embeddings: queries, count } = embedInputFile(trunk, data, input);
    const references = embedAll(trunk, data.test);
    try {
      const nn = await exactKnn(divergence, queries, references, { k, querySlot: options.querySlot ?? 'left' });
      const results = Array.from({ length: count }, (_, q) => ({
        query: q,
        neighbours: Array.from({ length: k }, (_, r) => {
          const index = nn.indices[q * k + r]!;
          return { index, label: data.test.labels[index]!, divergence: nn.distances[q * k + r]! };
        }),
      }));
      return {
        references: `${config.dataset} ${config.protocol} test part (${data.test.labels.length} items)`,
        querySlot: options.querySlot ?? 'left',
        results,
      };
    } finally {
      queries.dispose();
      references.dispose();
    }
  } finally {
    trunk.dispose();
    divergence.dispose();
  }
}

/**
 * Query through `@empirical-bregman/model`: against reference items given now (an exact index built in memory) or a
 * saved index (`bregman index`), whose model must be the run's.
 */
async function queryWithModel(runDir: string, input: string, k: number, options: QueryOptions): Promise<QueryAnswer> {
  const modelDir = runModelDir(runDir, 'query');
  const model = await loadModel(modelDir);
  let index: BregmanModelIndex | undefined;
  let saved: { model: BregmanModel; index: BregmanModelIndex } | undefined;
  try {
    const size = model.sampleShape.reduce((a, b) => a * b, 1);
    let description: string;
    if (options.index !== undefined) {
      saved = await loadModelWithIndex(resolve(options.index));
      if ((await saved.model.fingerprint()) !== (await model.fingerprint()))
        throw new CliError(
          'query',
          'INVALID_ARGUMENT',
          `expected an index built with the model of ${runDir}, got one built with another model (${options.index})`,
        );
      index = saved.index;
      description = `the saved index ${resolve(options.index)}`;
    } else {
      const refs = readSamples(options.references!, size);
      const labels =
        options.referenceLabels !== undefined ? readLabels(options.referenceLabels, refs.count) : undefined;
      index = await model.index(refs.features, labels);
      description = `${options.references} (${refs.count} items)`;
    }
    const { features, count } = readSamples(input, size);
    const querySlot = options.querySlot ?? 'left';
    const found = await index.search(features, { k, slot: querySlot });
    const results = Array.from({ length: count }, (_, q) => ({
      query: q,
      neighbours: Array.from({ length: found.k }, (_, r) => {
        const at = q * found.k + r;
        return {
          index: found.indices[at]!,
          ...(found.labels ? { label: found.labels[at]! } : {}),
          divergence: found.divergences[at]!,
        };
      }),
    }));
    return { references: description, querySlot, results };
  } finally {
    if (saved) {
      saved.index.dispose();
      saved.model.dispose();
    } else index?.dispose();
    model.dispose();
  }
}

/** `bregman query RUN_DIR --input FILE [--k N] [--query-slot left|right]` (`--query-in`: deprecated alias). */
export function registerQueryCommand(program: Command, out: CliOutput): void {
  program
    .command('query')
    .description("nearest neighbours of new samples among the run's test items under the learned divergence (JSON)")
    .argument('<runDir>', 'a finished run folder')
    .requiredOption('--input <file>', 'query samples (.npy, .json rows or .csv)')
    .option('--k <n>', 'neighbours per query', positiveInteger('--k'), 10)
    .option('--references <file>', "search these raw items (.npy, .json rows or .csv) instead of the run's test part")
    .option('--reference-labels <file>', 'labels of --references (.json array of integers, or one per line)')
    .option('--index <dir>', "search a saved index (bregman index … --out DIR) instead of the run's test part")
    .addOption(
      new Option(
        '--query-slot <slot>',
        'slot of D the query takes: left ranks by D(q, r), right by D(r, q) (default: left)',
      ).choices(['left', 'right']),
    )
    .addOption(
      new Option('--query-in <slot>', 'deprecated alias of --query-slot').choices(['left', 'right']).hideHelp(),
    )
    // Its output is JSON either way: the flag is accepted so that every result-printing command takes it.
    .option('--json', 'print the answer as one JSON document on stdout (the default; see the README for its shape)')
    .option('-q, --quiet', 'no backend line')
    .action(
      async (
        runDir: string,
        opts: {
          input: string;
          k: number;
          querySlot?: QuerySlot;
          queryIn?: QuerySlot;
          quiet?: boolean;
          references?: string;
          referenceLabels?: string;
          index?: string;
        },
      ) => {
        if (opts.queryIn !== undefined)
          out.stderr('bregman: warning: --query-in is deprecated; use --query-slot (same meaning)\n');
        // Both given and different: refused, as the libraries refuse querySlot and queryIn that disagree.
        const querySlot = resolveQuerySlot('query', opts.querySlot, { name: '--query-in', value: opts.queryIn });
        printJson(
          out,
          await queryCommand(runDir, opts.input, {
            k: opts.k,
            querySlot,
            ...(opts.quiet !== undefined ? { quiet: opts.quiet } : {}),
            ...(opts.references !== undefined ? { references: opts.references } : {}),
            ...(opts.referenceLabels !== undefined ? { referenceLabels: opts.referenceLabels } : {}),
            ...(opts.index !== undefined ? { index: opts.index } : {}),
          }),
        );
      },
    );
}
