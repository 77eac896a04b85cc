import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A build entry of this app (`dist/<name>.js`: a module that worker threads or child processes load by path), or
 * null before `pnpm build`. Found next to this module once bundled into dist/, or from sources in src/.
 */
export function builtEntryPath(name: string): string | null {
  for (const candidate of [`./${name}.js`, `../dist/${name}.js`]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return null;
}
