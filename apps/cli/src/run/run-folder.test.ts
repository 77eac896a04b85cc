import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunFolder } from './run-folder';

const root = mkdtempSync(join(tmpdir(), 'eb-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('createRunFolder', () => {
  it('creates missing parents and a fresh folder per run', () => {
    const a = createRunFolder(join(root, 'deep', 'out'), 'run', new Date('2026-01-02T03:04:05Z'));
    const b = createRunFolder(join(root, 'deep', 'out'), 'run', new Date('2026-01-02T03:04:05Z'));
    expect(a).toMatch(/deep\/out\/20260102T030405Z-run$/);
    expect(b).toMatch(/-run-2$/);
    expect(existsSync(a) && existsSync(b)).toBe(true);
  });

  it('says in one line that the output folder is a file', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(() => createRunFolder(join(file, 'sub'), 'run')).toThrow(
      /^ensureDirectory: expected a folder for the output folder \(--out\) at .*a-file, got a file$/,
    );
  });

  it('fails under /proc with the path and the cause (recursive mkdir spun there at 100% CPU)', () => {
    expect(() => createRunFolder('/proc/nonexistent-eb/x', 'run')).toThrow(
      /^ensureDirectory: expected to create the output folder \(--out\) at \/proc\/nonexistent-eb, got E[A-Z]+$/,
    );
  });
});
