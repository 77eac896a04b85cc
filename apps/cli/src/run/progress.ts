/**
 * Progress of long work: a live, redrawn bar on a terminal (step, loss, throughput, ETA), plain lines when the output
 * is not a terminal (CI logs get one line per epoch and every ~10% of an epoch), nothing with `quiet`.
 */
export interface ProgressSink {
  /** Called after every optimiser step. */
  step(info: { epoch: number; epochs: number; step: number; steps: number; loss: number }): void;
  /** A line that must be seen (epoch summaries, warnings); ends a live bar first. */
  line(text: string): void;
}

export interface ProgressOptions {
  readonly quiet?: boolean;
  readonly stream?: NodeJS.WriteStream;
  /** Override TTY detection (tests). */
  readonly live?: boolean;
  readonly now?: () => number;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

export function createProgress(options: ProgressOptions = {}): ProgressSink {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => Date.now());
  if (options.quiet) return { step: () => {}, line: () => {} };
  const live = options.live ?? Boolean(stream.isTTY);
  let epochStarted = now();
  let currentEpoch = -1;
  // The clock starts at the epoch's first reported step (its own duration is unknown): rates count the steps after it.
  let firstStep = 0;
  let lastPrinted = -1;
  let barShown = false;
  return {
    step({ epoch, epochs, step, steps, loss }) {
      if (epoch !== currentEpoch) {
        currentEpoch = epoch;
        epochStarted = now();
        firstStep = step;
        lastPrinted = -1;
      }
      const elapsed = (now() - epochStarted) / 1000;
      const rate = step > firstStep && elapsed > 0 ? (step - firstStep) / elapsed : Number.NaN;
      const eta = (steps - step) / rate;
      const summary = `epoch ${epoch}/${epochs} step ${step}/${steps} loss ${loss.toFixed(4)} ${Number.isFinite(rate) ? rate.toFixed(1) : '–'} steps/s ETA ${formatSeconds(eta)}`;
      if (live) {
        const width = 24;
        const filled = Math.round((width * step) / steps);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${summary}\x1b[K`);
        barShown = true;
      } else {
        const decile = Math.floor((10 * step) / steps);
        if (decile !== lastPrinted && (decile % 5 === 0 || step === steps)) {
          lastPrinted = decile;
          stream.write(`${summary}\n`);
        }
      }
    },
    line(text) {
      if (barShown) {
        stream.write('\r\x1b[K');
        barShown = false;
      }
      stream.write(`${text}\n`);
    },
  };
}
