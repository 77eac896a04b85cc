/**
 * TESTS ONLY. `BREGMAN_FAULT=<point>[,<point>…]` makes the named points throw a plain Error, as a bug would there,
 * so that tests can reach the CLI's failure paths (a bench cell that fails, an internal error) with real runs. The
 * points: `command:<name>` (before a command runs; `data-list` for `data list`) and `run:<grid cell name>` (a bench
 * grid cell, before it trains, wherever it runs: in-process, worker thread or queue job). Unset, it costs nothing.
 */
export const FAULT_ENV = 'BREGMAN_FAULT';

/** Throws if `point` is listed in `$BREGMAN_FAULT`. */
export function injectFault(point: string, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const listed = env[FAULT_ENV];
  if (listed?.split(',').includes(point)) {
    throw new Error(`fault injected at ${point} (${FAULT_ENV}=${listed}; a test setting)`);
  }
}
