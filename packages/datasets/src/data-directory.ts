import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The cache directory for downloaded datasets: `$BREGMAN_DATA_DIR` if set, else `$XDG_CACHE_HOME/empirical-bregman`
 * (Linux), `~/Library/Caches/empirical-bregman` (macOS), `%LOCALAPPDATA%\empirical-bregman` (Windows), falling back
 * to `~/.cache/empirical-bregman`.
 */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BREGMAN_DATA_DIR) return env.BREGMAN_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'empirical-bregman');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'empirical-bregman');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'empirical-bregman');
}
