/**
 * What the page publishes for its end-to-end test and for curious users (`playground` in the devtools console):
 * plain values only, updated as the modes run.
 */
export interface PlaygroundProbe {
  backend?: unknown;
  mode?: string;
  steps?: number;
  losses?: number[];
  /** Wall time of each training step (the step's own await included, drawing excluded), in milliseconds. */
  stepMs?: number[];
  /** Validation MAP@R of the digits mode, one per validation. */
  mapAtR?: number[];
  digitsReady?: boolean;
  /** `tf.memory().numTensors`, refreshed every 0.5 s and on every mode switch. */
  numTensors?: number;
  modelReady?: boolean;
  /** The model mode's last search: the query digit, the k nearest items and their divergences. */
  modelSearch?: { query: number; indices: number[]; divergences: number[] };
  [key: string]: unknown;
}

export function probe(): PlaygroundProbe {
  const g = globalThis as { playground?: PlaygroundProbe };
  g.playground ??= {};
  return g.playground;
}
