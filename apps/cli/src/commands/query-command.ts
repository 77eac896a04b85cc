import { exactKnn } from '@empirical-bregman/search';
import { initBackend } from '@empirical-bregman/runtime';
import { CliError } from '../cli-error';
import { embedAll } from '../run/embeddings';
import { prepareData } from '../run/prepare-data';
import { embedInputFile, loadRun } from './load-run';

export interface QueryOptions {
  readonly k?: number;
  readonly queryIn?: 'left' | 'right';
  readonly quiet?: boolean;
}

/**
 * `bregman query RUN_DIR --input FILE`: the k nearest items of the run's test part for each sample of FILE, under
 * the learned divergence with the query in the left slot (D(q, r)) or the right (D(r, q)). Returns JSON.
 */
export async function queryCommand(runDir: string, input: string, options: QueryOptions = {}): Promise<string> {
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1)
    throw new CliError('query', 'INVALID_ARGUMENT', `expected --k to be a positive integer, got ${k}`);
  await initBackend({ quiet: options.quiet });
  const { config, trunk, divergence } = await loadRun(runDir, 'query');
  try {
    const data = await prepareData(config);
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
      const nn = await exactKnn(divergence, queries, references, { k, queryIn: options.queryIn ?? 'left' });
      const results = Array.from({ length: count }, (_, q) => ({
        query: q,
        neighbours: Array.from({ length: k }, (_, r) => {
          const index = nn.indices[q * k + r]!;
          return { index, label: data.test.labels[index]!, divergence: nn.distances[q * k + r]! };
        }),
      }));
      return `${JSON.stringify({ references: `${config.dataset} ${config.protocol} test part (${data.test.labels.length} items)`, queryIn: options.queryIn ?? 'left', results }, null, 2)}\n`;
    } finally {
      queries.dispose();
      references.dispose();
    }
  } finally {
    trunk.dispose();
    divergence.dispose();
  }
}
