import { findBuiltFile } from '@empirical-bregman/node-io';
import { RuntimeError } from '../runtime-error';
import type { WorkerPool } from '../worker-pool';
import type { DataParallelState, DataParallelStepTimings, ReplicaStepResult } from './replica';
import { type SharedGradientBuffers, abortGradientExchange, allocateGradientBuffers } from './shared-gradient-average';
import type { NamedArray } from '@empirical-bregman/common';

export interface DataParallelTrainerOptions {
  /**
   * URL or absolute path of an ES module exporting `createReplica(init, context)` (see `Replica`), loaded once in
   * every worker of the pool.
   */
  readonly replicaModule: string;
  /** Structured-clonable payload every replica is created from (same on every worker). */
  readonly init?: unknown;
}

export interface DataParallelStep {
  /** Mean of the replicas' losses (the loss of the effective batch when every share has the same size). */
  readonly loss: number;
  /** Each replica's loss on its own share, in worker order. */
  readonly losses: number[];
  /** Where each replica's time went, in worker order (to see whether compute, the barrier or the update bounds it). */
  readonly timings: DataParallelStepTimings[];
}

let nextTrainerId = 1;

/** The task module next to the build (`dist/data-parallel-task.js`), or from sources, the package's `dist`. */
function taskModulePath(): string {
  const path = findBuiltFile(import.meta.url, [
    './data-parallel-task.js',
    '../dist/data-parallel-task.js',
    '../../dist/data-parallel-task.js',
  ]);
  if (path !== null) return path;
  throw new RuntimeError(
    'DataParallelTrainer',
    'NOT_FOUND',
    'expected the built task module dist/data-parallel-task.js, got none (run `pnpm build` first)',
  );
}

/**
 * Synchronous data-parallel training on the workers of a `WorkerPool`, the semantics of PyTorch's
 * DistributedDataParallel: every worker holds a full replica of the model (same seed, same initial weights), takes
 * its own batch, computes the gradient of its own loss, and all replicas apply the *mean* of the workers' gradients.
 * The averaging goes through shared memory in a fixed worker order, so every replica gets the bit-identical update
 * and the replicas never drift apart; no weights travel between steps.
 *
 * One step with W workers and batch B per worker is one optimizer update on an effective batch of W × B whose loss
 * is the mean of the W per-worker losses. (For a loss over pairs inside a batch, such as contrastive or triplet
 * losses, pairs never straddle two workers' shares: the effective loss is the mean of W batch losses, not the loss
 * of one W × B batch.) Deterministic for a seed when the replica draws its batches from (seed, step, workerIndex).
 *
 * tfjs-wasm runs one thread per process in Node; this is how training reaches the second core.
 *
 * ```ts
 * const pool = await WorkerPool.create({ size: 2 });
 * const trainer = await DataParallelTrainer.create(pool, { replicaModule: '/abs/my-replica.js', init: { seed: 1 } });
 * for (let step = 0; step < 100; step++) await trainer.step([{ step }, { step }]);
 * const weights = await trainer.weights();
 * await trainer.dispose();
 * ```
 */
export class DataParallelTrainer {
  private failed: Error | null = null;
  private disposed = false;

  private constructor(
    private readonly pool: WorkerPool,
    private readonly task: string,
    private readonly id: number,
    private readonly buffers: SharedGradientBuffers,
    /** Names of the trained variables, in replica order. */
    readonly variableNames: readonly string[],
    /** Number of trained values (the length of the gradient every step averages). */
    readonly parameterCount: number,
  ) {}

  /** Creates one replica on every worker of `pool` and checks that they agree on their variables. */
  static async create(pool: WorkerPool, options: DataParallelTrainerOptions): Promise<DataParallelTrainer> {
    if (typeof options.replicaModule !== 'string' || options.replicaModule.length === 0)
      throw new RuntimeError(
        'DataParallelTrainer.create',
        'INVALID_ARGUMENT',
        `expected replicaModule to be a module path or URL, got ${JSON.stringify(options.replicaModule)}`,
      );
    const task = taskModulePath();
    const id = nextTrainerId++;
    const workers = pool.size;
    const settled = await Promise.allSettled(
      Array.from({ length: workers }, (_, w) =>
        pool.runOn<{ size: number; names: string[] }>(w, task, 'initReplica', {
          trainerId: id,
          module: options.replicaModule,
          init: options.init,
          workers,
        }),
      ),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      // Free the replicas that did start (disposeReplica ignores a worker without one).
      await Promise.allSettled(
        Array.from({ length: workers }, (_, w) => pool.runOn(w, task, 'disposeReplica', { trainerId: id })),
      );
      throw failed.reason;
    }
    const described = settled.map((s) => (s as PromiseFulfilledResult<{ size: number; names: string[] }>).value);
    const first = described[0]!;
    for (const [w, d] of described.entries()) {
      if (d.size !== first.size || d.names.length !== first.names.length) {
        await Promise.all(
          Array.from({ length: workers }, (_, i) => pool.runOn(i, task, 'disposeReplica', { trainerId: id })),
        );
        throw new RuntimeError(
          'DataParallelTrainer.create',
          'INVALID_SHAPE',
          `expected every replica to have the same variables, got ${first.names.length} variables / ${first.size} values on worker 0 and ${d.names.length} / ${d.size} on worker ${w}`,
        );
      }
    }
    const buffers = allocateGradientBuffers(workers, first.size);
    await Promise.all(
      Array.from({ length: workers }, (_, w) =>
        pool.runOn(w, task, 'attachGradientBuffers', { trainerId: id, buffers }),
      ),
    );
    return new DataParallelTrainer(pool, task, id, buffers, first.names, first.size);
  }

  /** Number of replicas (the pool's size). */
  get workers(): number {
    return this.pool.size;
  }

  /**
   * One synchronous step: `batches[w]` goes to worker w's replica `loss`. Resolves once every replica has applied the
   * averaged gradient. If a replica fails, the others are released and the trainer refuses further steps.
   */
  async step(batches: readonly unknown[]): Promise<DataParallelStep> {
    return (await this.run([batches], 'DataParallelTrainer.step'))[0]!;
  }

  /**
   * Several synchronous steps in one message per worker: `batchesPerStep[s][w]` is worker w's batch of step s. Same
   * updates as calling `step` for each in turn, without a round trip through this thread between steps (each costs
   * 1–4 ms of idle workers on two cores, against a ~50 ms W1 step). Every batch is sent to its worker up front. If a
   * step fails, the call rejects with its error and the results of the steps before it are not returned (the
   * replicas did apply them; the trainer refuses further steps either way).
   */
  async steps(batchesPerStep: readonly (readonly unknown[])[]): Promise<DataParallelStep[]> {
    return this.run(batchesPerStep, 'DataParallelTrainer.steps');
  }

  private async run(batchesPerStep: readonly (readonly unknown[])[], component: string): Promise<DataParallelStep[]> {
    this.usable();
    if (!Array.isArray(batchesPerStep) || batchesPerStep.length === 0)
      throw new RuntimeError(
        component,
        'INVALID_ARGUMENT',
        `expected a non-empty array of steps, got ${Array.isArray(batchesPerStep) ? 'an empty array' : typeof batchesPerStep}`,
      );
    for (const [s, batches] of batchesPerStep.entries())
      if (!Array.isArray(batches) || batches.length !== this.workers)
        throw new RuntimeError(
          component,
          'INVALID_ARGUMENT',
          `expected one batch per worker (${this.workers}), got ${Array.isArray(batches) ? batches.length : typeof batches}${batchesPerStep.length > 1 ? ` at step ${s}` : ''}`,
        );
    const settled = await Promise.allSettled(
      Array.from({ length: this.workers }, (_, w) =>
        this.pool
          .runOn<ReplicaStepResult[]>(w, this.task, 'stepReplica', {
            trainerId: this.id,
            batches: batchesPerStep.map((batches) => batches[w]),
          })
          .catch((error: unknown) => {
            // Release the replicas still waiting for this one's gradient.
            abortGradientExchange(this.buffers);
            throw error;
          }),
      ),
    );
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) {
      // Prefer the root cause over the "another worker failed" of the replicas that were released.
      const causes = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason);
      const root =
        causes.find((e) => !/another data-parallel worker failed/.test(String(e?.message))) ?? rejected.reason;
      this.failed = root instanceof Error ? root : new Error(String(root));
      throw this.failed;
    }
    const perWorker = settled.map((s) => (s as PromiseFulfilledResult<ReplicaStepResult[]>).value);
    return batchesPerStep.map((_, s) => {
      const results = perWorker.map((r) => r[s]!);
      const losses = results.map((r) => r.loss);
      return {
        loss: losses.reduce((a, b) => a + b, 0) / losses.length,
        losses,
        timings: results.map((r) => r.timings),
      };
    });
  }

  /** The replica's variable values on worker `workerIndex` (default 0; all replicas hold the same values). */
  async weights(workerIndex = 0): Promise<NamedArray<'float32'>[]> {
    this.usable();
    return this.pool.runOn<NamedArray<'float32'>[]>(workerIndex, this.task, 'replicaWeights', { trainerId: this.id });
  }

  /** Each replica's `report()` (null where the replica has none), in worker order. */
  async reports(): Promise<unknown[]> {
    this.usable();
    return Promise.all(
      Array.from({ length: this.workers }, (_, w) =>
        this.pool.runOn<unknown>(w, this.task, 'replicaReport', { trainerId: this.id }),
      ),
    );
  }

  /**
   * The run's state: the variables and the optimizers' states of replica `workerIndex` (default 0; all replicas hold
   * the same). With the step count and the batch sampler's state, it is what a checkpoint needs to resume exactly.
   */
  async state(workerIndex = 0): Promise<DataParallelState> {
    this.usable();
    return this.pool.runOn<DataParallelState>(workerIndex, this.task, 'replicaState', { trainerId: this.id });
  }

  /**
   * Loads `state` (from `state()`, possibly of an earlier process) into every replica: the steps that follow are
   * bit-identical to the ones the saved trainer would have taken. The replica module must create the same variables
   * in the same order, with the same optimizers (their states are matched to them by order).
   */
  async loadState(state: DataParallelState): Promise<void> {
    this.usable();
    if (!state || !Array.isArray(state.variables) || !Array.isArray(state.optimizers))
      throw new RuntimeError(
        'DataParallelTrainer.loadState',
        'INVALID_ARGUMENT',
        'expected a state { variables, optimizers } from DataParallelTrainer.state()',
      );
    await Promise.all(
      Array.from({ length: this.workers }, (_, w) =>
        this.pool.runOn(w, this.task, 'loadReplicaState', { trainerId: this.id, state }),
      ),
    );
  }

  /** Frees every replica. The pool stays open (it belongs to the caller). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.allSettled(
      Array.from({ length: this.workers }, (_, w) =>
        this.pool.runOn(w, this.task, 'disposeReplica', { trainerId: this.id }),
      ),
    );
  }

  private usable(): void {
    if (this.disposed)
      throw new RuntimeError('DataParallelTrainer', 'UNAVAILABLE', 'expected a live trainer, got a disposed one');
    if (this.failed)
      throw new RuntimeError(
        'DataParallelTrainer',
        'UNAVAILABLE',
        `expected replicas in step, got a trainer whose step failed earlier: ${this.failed.message}`,
      );
  }
}
