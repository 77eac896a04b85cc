import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic';

// A real `kill -9` in the middle of writes: a child process rewrites one 8 MB file as fast as it can with the built
// writeFileAtomic (each version filled with one byte value), and is killed at several moments. Whatever the moment,
// the target is one complete version, never a mix or a truncated file, and the dead writer's temporary file is gone
// after the next write.
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'node-io-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SIZE = 8 * 1024 * 1024;

function writerScript(target: string): string {
  return `
    import { writeFileAtomic } from ${JSON.stringify(dist)};
    const size = ${SIZE};
    for (let i = 1; ; i++) {
      writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(size, i % 251));
      if (i === 1) process.stdout.write('first\\n');
    }`;
}

describe('writeFileAtomic under SIGKILL', () => {
  for (const delayMs of [5, 40, 120]) {
    it(`killed ${delayMs} ms after its first complete write: the target is one whole version`, async () => {
      if (!existsSync(dist)) throw new Error('packages/node-io/dist is missing: run `pnpm build` first');
      const target = join(root, `target-${delayMs}.bin`);
      const child = spawn(process.execPath, ['--input-type=module', '-e', writerScript(target)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, delayMs));
      const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const bytes = readFileSync(target);
      expect(bytes.length).toBe(SIZE);
      expect(bytes.every((b) => b === bytes[0])).toBe(true);
      writeFileAtomic(target, 'next');
      expect(readdirSync(root).filter((f) => f.startsWith(`.target-${delayMs}.bin.`))).toEqual([]);
    });
  }
});
