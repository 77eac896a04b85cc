/**
 * Runs `step` again and again, yielding to the browser between steps (so the page repaints and clicks land), until
 * `stop()`, which resolves once the step in flight has finished: the caller can then free the model safely. The one
 * loop every mode trains with.
 *
 * ```ts
 * const loop = new TrainingLoop(async () => trainer.step(points), (loss, n) => draw(loss, n));
 * loop.start();
 * await loop.stop(); // after the current step
 * ```
 */
export class TrainingLoop {
  private running: Promise<void> | undefined;
  private stopping = false;
  steps = 0;

  constructor(
    private readonly step: () => Promise<number>,
    private readonly onStep: (loss: number, steps: number, ms: number) => void | Promise<void>,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const started = performance.now();
      const loss = await this.step();
      this.steps++;
      await this.onStep(loss, this.steps, performance.now() - started);
      // A macrotask, not a microtask: lets the browser paint and handle input between steps.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
}
