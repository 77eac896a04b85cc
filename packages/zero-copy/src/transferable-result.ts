/**
 * A worker task's result whose `transfer` buffers move to the receiving thread instead of being copied (the
 * transfer list of `postMessage`). The shape is the contract between task modules (in any package) and the worker
 * program that posts their results (runtime's `WorkerPool`): it lives here so that a library's task does not depend
 * on the runtime that runs it.
 */
export interface TransferableResult<T> {
  readonly __transfer: true;
  readonly value: T;
  readonly transfer: ArrayBuffer[];
}

/**
 * Wraps a task's result so that `transfer` moves (the worker loses those buffers).
 *
 * ```ts
 * export function topKTask(payload: Payload): TransferableResult<{ indices: Int32Array }> {
 *   const indices = search(payload);
 *   return withTransfer({ indices }, [indices.buffer as ArrayBuffer]);
 * }
 * ```
 */
export function withTransfer<T>(value: T, transfer: ArrayBuffer[]): TransferableResult<T> {
  return { __transfer: true, value, transfer };
}

/** True for a result made by {@link withTransfer} (what the worker program checks before posting). */
export function isTransferableResult(x: unknown): x is TransferableResult<unknown> {
  return typeof x === 'object' && x !== null && (x as { __transfer?: unknown }).__transfer === true;
}
