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
  [key: string]: unknown;
}

export function probe(): PlaygroundProbe {
  const g = globalThis as { playground?: PlaygroundProbe };
  g.playground ??= {};
  return g.playground;
}
