import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDirectory } from './ensure-directory';
import { NodeIoError } from './node-io-error';

const root = mkdtempSync(join(tmpdir(), 'node-io-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ensureDirectory', () => {
  it('creates missing parents and accepts an existing folder', () => {
    const path = ensureDirectory(join(root, 'a', 'b', 'c'));
    expect(statSync(path).isDirectory()).toBe(true);
    expect(ensureDirectory(path)).toBe(path);
  });

  it('names the file in the way, in one line', () => {
    writeFileSync(join(root, 'file'), 'x');
    expect(() => ensureDirectory(join(root, 'file', 'sub'), 'the output folder')).toThrow(
      /^ensureDirectory: expected a folder for the output folder at .*\/file, got a file$/,
    );
  });

  it('fails under /proc with the level and the cause (recursive mkdir spins there)', () => {
    let error: unknown;
    try {
      ensureDirectory('/proc/eb-nonexistent/x', 'the run folder');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NodeIoError);
    expect((error as Error).message).toMatch(
      /^ensureDirectory: expected to create the run folder at \/proc\/eb-nonexistent, got E[A-Z]+$/,
    );
    expect(existsSync('/proc/eb-nonexistent')).toBe(false);
  });
});
