/**
 * TESTS ONLY. `BREGMAN_FAULT=<point>` makes the named point throw a plain Error, as a bug would there, so that tests
 * can reach the CLI's failure paths with real runs: `command/<name>` before a command runs (`command/data-list` for
 * `data list`: exit code 1), `cell/<grid cell name>` in a bench grid cell before it trains, wherever it runs
 * (in-process, worker thread or queue job: the cell fails, the bench exits with code 6). Point names hold no `:`, so
 * they keep apart from the run loop's `<point>[:<n>]` fault points. Unset, it costs nothing.
 */
export const FAULT_ENV = 'BREGMAN_FAULT';

/** Throws if `$BREGMAN_FAULT` names `point`. */
export function injectFault(point: string, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const wanted = env[FAULT_ENV];
  if (wanted === point) throw new Error(`fault injected at ${point} (${FAULT_ENV}=${wanted}; a test setting)`);
}
