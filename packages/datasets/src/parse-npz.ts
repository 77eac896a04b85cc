import { type NpyArray, parseNpy } from './parse-npy';
import { zipEntries } from './zip-entries';

/**
 * Every array of an `.npz` held in memory (what `np.savez` / `np.savez_compressed` write, or a `bregman serve`
 * answer to `Accept: application/x-npz`), by name without `.npy`, in archive order. Each entry's CRC-32 and .npy
 * header are checked; other files in the archive are ignored. Problems are `BAD_FORMAT` errors naming `source`.
 *
 * ```ts
 * const arrays = parseNpz(new Uint8Array(await reply.arrayBuffer()), 'answer');
 * arrays.get('divergences')?.shape; // [queries, k]
 * ```
 */
export function parseNpz(bytes: Uint8Array, source = '<npz>', component = 'parseNpz'): Map<string, NpyArray> {
  const arrays = new Map<string, NpyArray>();
  for (const entry of zipEntries(bytes, source, component)) {
    if (!entry.name.endsWith('.npy')) continue;
    const name = entry.name.slice(0, -'.npy'.length);
    arrays.set(name, parseNpy(entry.read(), `${source}[${name}]`, component));
  }
  return arrays;
}
