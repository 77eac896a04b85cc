/**
 * One compute slot with a bounded queue: jobs run one at a time, in arrival order, and a job that arrives when
 * `maxQueue` jobs already wait is refused at once ({@link QueueFull}) instead of waiting without bound.
 *
 * Why one slot: the model runs on one tfjs backend (wasm/cpu) in this thread; two searches at once only interleave
 * their awaits and both finish later, while a bounded queue keeps the latency of an accepted request predictable
 * and tells the others to come back (HTTP 503 with Retry-After).
 *
 * ```ts
 * const slot = new ComputeSlot(8);
 * const result = await slot.run(() => index.search(queries, { k: 10 }));
 * ```
 */
export class ComputeSlot {
  private busy = false;
  private readonly queue: Array<() => void> = [];

  /** @param maxQueue how many jobs may wait while one runs (0: none waits; a job arriving while one runs is refused). */
  constructor(readonly maxQueue: number) {}

  /** Jobs waiting for the slot (not counting the one running). */
  get waiting(): number {
    return this.queue.length;
  }

  /** True while a job (or a {@link hold}) has the slot. */
  get running(): boolean {
    return this.busy;
  }

  /** Runs `job` when the slot is free; throws {@link QueueFull} at once when `maxQueue` jobs already wait. */
  async run<T>(job: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire();
    try {
      return await job();
    } finally {
      release();
    }
  }

  /**
   * Takes the slot until the returned function is called (tests: hold the slot to fill the queue deterministically).
   * Waits like a job, and is refused like one.
   */
  hold(): Promise<() => void> {
    return this.acquire();
  }

  private acquire(): Promise<() => void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.maxQueue) return Promise.reject(new QueueFull(this.queue.length));
    return new Promise((resolve) => this.queue.push(() => resolve(this.releaser())));
  }

  /** A release function that hands the slot to the next job, once only. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.busy = false;
    };
  }
}

/** Thrown by {@link ComputeSlot.run} when the queue is full: the server answers 503 with Retry-After. */
export class QueueFull extends Error {
  override readonly name = 'QueueFull';
  constructor(readonly waiting: number) {
    super(`expected a free place in the compute queue, got ${waiting} requests already waiting: retry later`);
  }
}
