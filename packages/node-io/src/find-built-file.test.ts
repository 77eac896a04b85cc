import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findBuiltFile } from './find-built-file';

describe('findBuiltFile', () => {
  // A package laid out as after `pnpm build`: src/caller.ts and dist/task.js.
  const root = mkdtempSync(join(tmpdir(), 'node-io-find-'));
  mkdirSync(join(root, 'src'));
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'task.js'), '');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the file beside a bundled module, or in dist/ from the sources, first candidate first', () => {
    const fromDist = pathToFileURL(join(root, 'dist', 'index.js')).href;
    const fromSources = pathToFileURL(join(root, 'src', 'caller.ts'));
    const candidates = ['./task.js', '../dist/task.js'];
    expect(findBuiltFile(fromDist, candidates)).toBe(join(root, 'dist', 'task.js'));
    expect(findBuiltFile(fromSources, candidates)).toBe(join(root, 'dist', 'task.js'));
  });

  it('null when no candidate exists', () => {
    expect(findBuiltFile(pathToFileURL(join(root, 'src', 'caller.ts')), ['./task.js', '../lib/task.js'])).toBeNull();
  });
});
