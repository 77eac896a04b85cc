/**
 * How many times each native kernel ran its native path (a call that fell back to the wasm kernel below is not
 * counted), in this thread. Not public: the tests read it to prove which path ran, with native kernels on and off.
 */
const calls = new Map<string, number>();

export function countNativeCall(kernel: string): void {
  calls.set(kernel, (calls.get(kernel) ?? 0) + 1);
}

export function nativeCallCount(kernel: string): number {
  return calls.get(kernel) ?? 0;
}
