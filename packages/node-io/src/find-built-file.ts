import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The first of `candidates` that exists, each a path relative to `base` (a module's `import.meta.url`), as an
 * absolute path; null when none does. Packages ship files that worker threads load by path (a task module, a worker
 * program) as their own build entries: once bundled, such a file sits beside the calling module in `dist/`; when the
 * caller runs from its sources (tests), it is in the package's `dist/` one level up. Pass both.
 *
 * ```ts
 * const task = findBuiltFile(import.meta.url, ['./exact-knn-task.js', '../dist/exact-knn-task.js']);
 * if (task === null) throw new Error('run `pnpm build` first');
 * ```
 *
 * @param base the caller's `import.meta.url` (a `file:` URL string or URL): relative candidates resolve against it.
 */
export function findBuiltFile(base: string | URL, candidates: readonly string[]): string | null {
  for (const candidate of candidates) {
    const path = fileURLToPath(new URL(candidate, base));
    if (existsSync(path)) return path;
  }
  return null;
}
