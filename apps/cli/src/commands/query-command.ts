import { type QuerySlot, resolveQuerySlot } from '@empirical-bregman/bregman-core';
import { exactKnn } from '@empirical-bregman/search';
import { initBackend } from '@empirical-bregman/runtime';
import { type Command, Option } from 'commander';
import { CliError } from '../cli-error';
import { type CliOutput, printJson } from '../cli/cli-output';
import { positiveInteger, requirePositiveInteger } from '../cli/flag-parsers';
import { embedAll } from '../tasks/retrieval/embeddings';
import { embedInputFile, loadRun, prepareRunData } from './load-run';

export interface QueryOptions {
  readonly k?: number;
  readonly querySlot?: QuerySlot;
  readonly quiet?: boolean;
}

/** What `bregman query` prints (as JSON). */
export interface QueryAnswer {
  /** The items searched: the run's test part. */
  readonly references: string;
  readonly querySlot: QuerySlot;
  /** One entry per sample of the input file, in its order; neighbours nearest first. */
  readonly results: {
    readonly query: number;
    readonly neighbours: { readonly index: number; readonly label: number; readonly divergence: number }[];
  }[];
}

/**
 * `bregman query RUN_DIR --input FILE`: the k nearest items of the run's test part for each sample of FILE, under
 * the learned divergence with the query in the left slot (D(q, r)) or the right (D(r, q)).
 */
export async function queryCommand(runDir: string, input: string, options: QueryOptions = {}): Promise<QueryAnswer> {
  const k = requirePositiveInteger(options.k ?? 10, '--k');
  await initBackend({ quiet: options.quiet });
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

/** `bregman query RUN_DIR --input FILE [--k N] [--query-slot left|right]` (`--query-in`: deprecated alias). */
export function registerQueryCommand(program: Command, out: CliOutput): void {
  program
    .command('query')
    .description("nearest neighbours of new samples among the run's test items under the learned divergence (JSON)")
    .argument('<runDir>', 'a finished run folder')
    .requiredOption('--input <file>', 'query samples (.npy, .json rows or .csv)')
    .option('--k <n>', 'neighbours per query', positiveInteger('--k'), 10)
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
        opts: { input: string; k: number; querySlot?: QuerySlot; queryIn?: QuerySlot; quiet?: boolean },
      ) => {
        if (opts.queryIn !== undefined)
          out.stderr('bregman: warning: --query-in is deprecated; use --query-slot (same meaning)\n');
        // Both given and different: refused, as the libraries refuse querySlot and queryIn that disagree.
        const querySlot = resolveQuerySlot('query', opts.querySlot, { name: '--query-in', value: opts.queryIn });
        printJson(out, await queryCommand(runDir, opts.input, { k: opts.k, querySlot, quiet: opts.quiet }));
      },
    );
}
