/**
 * What the pool search needs of a worker pool; runtime's `WorkerPool` has it. A structural type, so that this
 * package does not depend on `runtime` (the app chooses the backend and creates the pool).
 */
export interface WorkerPoolLike {
  /** Number of workers. */
  readonly size: number;
  /** Runs the exported function `fn` of the ES module `module` (a path or file URL) on a free worker. */
  run<T>(module: string, fn: string, payload: unknown, transfer?: ArrayBuffer[]): Promise<T>;
}
