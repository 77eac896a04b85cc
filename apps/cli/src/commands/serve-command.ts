import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { CliError } from '../cli-error';
import type { CliOutput } from '../cli/cli-output';
import { positiveInteger } from '../cli/flag-parsers';
import { createServer } from '../serve/create-server';
import { isLoopbackHost, listenServer } from '../serve/listen-server';
import type { ServeEngine } from '../serve/serve-engine';
import { type WorkerEngine, startWorkerEngine } from '../serve/worker-engine';
import { inProcessEngine } from '../serve/serve-engine';
import type { BregmanModelIndex } from '@empirical-bregman/model';
import { directorySource, loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';

/** The flags of `bregman serve`, parsed. */
export interface ServeFlags {
  readonly index?: string;
  readonly port: number;
  readonly host: string;
  readonly maxBatch: number;
  readonly maxQueue: number;
  readonly maxBody: number;
  readonly quiet?: boolean;
  /** Compute on a worker thread (`--compute-thread`) instead of the HTTP thread. */
  readonly computeThread?: boolean;
  /** Tests only: see {@link testHold}. */
  readonly testHoldMs?: number;
}

/** Defaults: 8 MiB bodies hold 256 rows of 784 pixels written with full float precision. */
export const SERVE_DEFAULTS = { port: 8765, host: '127.0.0.1', maxBatch: 256, maxQueue: 16, maxBody: 8 << 20 };

/**
 * `bregman serve MODEL_DIR [--index DIR] …`: loads the model (and index), listens, and resolves after SIGTERM or
 * SIGINT once the requests in flight are answered (the CLI then exits 0).
 */
export async function serveCommand(modelDir: string, flags: ServeFlags, out: CliOutput): Promise<void> {
  const folder = modelFolder(modelDir);
  if (flags.index !== undefined && !isDirectory(flags.index))
    throw new CliError('serve', 'NOT_FOUND', `expected --index to be an index folder, got no folder ${flags.index}`);
  // The model and the index load on the compute thread; an error there (a bad manifest, a changed index) comes
  // back with its code, so it ends like any other: one line and its exit code.
  const engine = flags.computeThread
    ? await startWorkerEngine({ modelDir: folder, indexDir: flags.index ?? null, quiet: flags.quiet ?? false })
    : await inThreadEngine(folder, flags.index ?? null, flags.quiet ?? false);
  try {
    const app = createServer({
      engine,
      maxBatch: flags.maxBatch,
      maxQueue: flags.maxQueue,
      maxBody: flags.maxBody,
      beforeCompute: testHold(flags.testHoldMs, out),
    });
    const url = await listenServer(app, flags.host, flags.port);
    out.stderr(`bregman serve: listening on ${url} (${describe(engine)}); SIGTERM or Ctrl-C stops it\n`);
    if (!isLoopbackHost(flags.host))
      out.stderr(
        `bregman serve: warning: --host ${flags.host} is not a loopback address: other machines can reach this server, which has no authentication\n`,
      );
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        out.stderr(`bregman serve: ${signal}: finishing the requests in flight, then stopping\n`);
        // Stops accepting at once; resolves when every request in flight (running or queued) has been answered.
        void app.close().then(() => resolve());
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    out.stderr('bregman serve: stopped\n');
  } finally {
    await engine.close();
  }
}

/**
 * The model and the index loaded in this thread, as an engine whose `close()` frees them. The default: measured on
 * this project's 2-core machine, a worker thread costs an ANN /search at batch 64 more than it saves (usearch's own
 * threads and the HTTP thread contend; 2.6× the in-process time per request against 1.5× here), while on the exact
 * index it only pays under concurrent load (two connections: 1.22× against 1.32× one at a time).
 */
async function inThreadEngine(modelDir: string, indexDir: string | null, quiet: boolean): Promise<WorkerEngine> {
  await initBackend({ quiet });
  const model = await loadModel(modelDir);
  let index: BregmanModelIndex | null = null;
  try {
    if (indexDir !== null) index = await model.loadIndex(directorySource(indexDir));
  } catch (error) {
    model.dispose();
    throw error;
  }
  let closed = false;
  const engine = inProcessEngine(model, index);
  return {
    ...engine,
    get alive() {
      return !closed;
    },
    async close() {
      closed = true;
      index?.dispose();
      model.dispose();
    },
  };
}

/**
 * TESTS ONLY (the hidden flag `--test-hold-ms MS`): holds every model job that long inside the compute slot, after a
 * line on stderr, so a test can signal the server while a request is in flight. A flag rather than an environment
 * variable: nothing outside the command line can slow a server down.
 */
function testHold(ms: number | undefined, out: CliOutput): (() => Promise<void>) | undefined {
  if (!ms) return undefined;
  return async () => {
    out.stderr(`bregman serve: --test-hold-ms: holding a request ${ms} ms\n`);
    await new Promise((resolve) => setTimeout(resolve, ms));
  };
}

/** The model folder: MODEL_DIR itself, or `MODEL_DIR/model` for a run folder. */
function modelFolder(dir: string): string {
  if (!isDirectory(dir)) throw new CliError('serve', 'NOT_FOUND', `expected a model folder, got no folder ${dir}`);
  if (!existsSync(join(dir, 'manifest.json')) && existsSync(join(dir, 'model', 'manifest.json')))
    return join(dir, 'model');
  return dir;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function describe({ manifest, index }: ServeEngine): string {
  const what = `${manifest.input.kind} model, embedding dim ${manifest.embeddingDim}`;
  return index ? `${what}, ${index.kind} index of ${index.size} items` : `${what}, no index`;
}

/** An integer in [min, max] (`--port 0`: any free port). */
function integerIn(flag: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const n = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new CliError(
        flag,
        'INVALID_ARGUMENT',
        `expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
      );
    return n;
  };
}

function hostName(text: string): string {
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(text))
    throw new CliError('--host', 'INVALID_ARGUMENT', `expected a host name or IP address, got ${JSON.stringify(text)}`);
  return text.replace(/^\[|\]$/g, '');
}

/** `bregman serve MODEL_DIR [--index DIR] [--port N] [--host H] [--max-batch N] [--max-queue N] [--max-body BYTES]`. */
export function registerServeCommand(program: Command, out: CliOutput): void {
  program
    .command('serve')
    .description(
      'serve a model (and a saved index) over HTTP: /embed, /search, /predict; JSON, or NumPy arrays both ways',
    )
    .addHelpText(
      'after',
      [
        '',
        'Bodies: JSON, or the rows as one .npy array (Content-Type: application/x-npy;',
        'k and slot then in the query string).',
        'Answers: JSON, or by the Accept header: /search as .npz arrays',
        '(application/x-npz: indices, divergences, labels, each [queries, k]), /embed as',
        'one .npy array (application/x-npy); 406 for an Accept a route cannot answer.',
        'For ANN indexes send .npy and ask for .npz: JSON adds a third of a search.',
      ].join('\n'),
    )
    .argument('<modelDir>', "a model folder (a run's model/) or a run folder")
    .option('--index <dir>', 'a saved index of this model (index.save): enables /search and /predict')
    .option('--port <n>', 'TCP port; 0 picks a free one', integerIn('--port', 0, 65535), SERVE_DEFAULTS.port)
    .option('--host <host>', 'address to bind (non-loopback prints a warning)', hostName, SERVE_DEFAULTS.host)
    .option(
      '--max-batch <n>',
      'rows per request at most (400 beyond)',
      positiveInteger('--max-batch'),
      SERVE_DEFAULTS.maxBatch,
    )
    .option(
      '--max-queue <n>',
      'requests waiting for the compute slot at most (503 + Retry-After beyond)',
      integerIn('--max-queue', 0, 1_000_000),
      SERVE_DEFAULTS.maxQueue,
    )
    .option(
      '--max-body <bytes>',
      'request body size at most (413 beyond)',
      positiveInteger('--max-body'),
      SERVE_DEFAULTS.maxBody,
    )
    .option(
      '--compute-thread',
      'compute on a worker thread: /health and request parsing never wait behind a search, and HTTP work overlaps the search under concurrent load (slower for one client at a time, and for ANN indexes)',
    )
    .option('-q, --quiet', 'no backend line')
    .addOption(new Option('--test-hold-ms <ms>').argParser(positiveInteger('--test-hold-ms')).hideHelp())
    .action(async (modelDir: string, flags: ServeFlags) => {
      await serveCommand(modelDir, flags, out);
    });
}
