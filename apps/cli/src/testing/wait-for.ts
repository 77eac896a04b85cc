/**
 * Test helper: resolves once `predicate()` holds (polled every 50 ms), rejects after `timeoutMs` naming `what`.
 * For end-to-end tests that watch child processes and files.
 */
export function waitFor(predicate: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`${what}: not met within ${timeoutMs} ms`));
      }
    }, 50);
  });
}
