/** How the jobs of one submitted grid stand. */
export interface QueueCounts {
  readonly done: number;
  readonly running: number;
  readonly failed: number;
  readonly queued: number;
  readonly total: number;
}

/**
 * The submitter's progress: a live, redrawn status line on a terminal (done / running / failed / queued and the
 * elapsed time), a plain line each time the counts change when the output is not a terminal, nothing with `quiet`.
 */
export interface QueueStatus {
  update(counts: QueueCounts): void;
  /** A line that must be seen (a finished run, a failure); the live line is redrawn under it. */
  line(text: string): void;
  /** Removes the live line. */
  end(): void;
}

export interface QueueStatusOptions {
  readonly quiet?: boolean;
  readonly stream?: NodeJS.WriteStream;
  /** Override TTY detection (tests). */
  readonly live?: boolean;
  readonly now?: () => number;
}

export function formatCounts(counts: QueueCounts): string {
  return `${counts.done}/${counts.total} done, ${counts.running} running, ${counts.failed} failed, ${counts.queued} queued`;
}

export function createQueueStatus(options: QueueStatusOptions = {}): QueueStatus {
  if (options.quiet) return { update: () => {}, line: () => {}, end: () => {} };
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => Date.now());
  const live = options.live ?? Boolean(stream.isTTY);
  const started = now();
  let last: QueueCounts | undefined;
  let shown = false;
  const draw = () => {
    if (!last) return;
    const seconds = Math.round((now() - started) / 1000);
    stream.write(`\rqueue: ${formatCounts(last)} (${seconds} s)\x1b[K`);
    shown = true;
  };
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return {
    update(counts) {
      const changed = !last || formatCounts(last) !== formatCounts(counts);
      last = counts;
      if (live) draw();
      else if (changed) stream.write(`queue: ${formatCounts(counts)}\n`);
    },
    line(text) {
      clear();
      stream.write(`${text}\n`);
      if (live) draw();
    },
    end() {
      clear();
    },
  };
}
