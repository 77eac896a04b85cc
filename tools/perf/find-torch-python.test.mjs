import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TORCH_NOT_FOUND, findTorchPython } from './find-torch-python.mjs';
import { writeFakePython } from './testing/fake-python.mjs';

const dir = mkdtempSync(join(tmpdir(), 'eb-find-torch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const withoutTorch = writeFakePython(dir, 'python-without-torch', { torch: false });
const withTorch = writeFakePython(dir, 'python-with-torch', { torch: true });
const missing = join(dir, 'no-such-python');
const path = { PATH: process.env.PATH };

describe('findTorchPython', () => {
  it('reports a BREGMAN_PYTHON whose import torch fails, with its last line on stderr', () => {
    const found = findTorchPython({ env: { ...path, BREGMAN_PYTHON: withoutTorch }, candidates: [withTorch] });
    expect(found).toEqual({
      reason: `PyTorch not found: BREGMAN_PYTHON=${withoutTorch} cannot import torch (exit 1: ModuleNotFoundError: No module named 'torch')`,
    });
  });

  it('reports a BREGMAN_PYTHON that does not exist', () => {
    const found = findTorchPython({ env: { ...path, BREGMAN_PYTHON: missing } });
    expect(found).toEqual({
      reason: `PyTorch not found: BREGMAN_PYTHON=${missing} cannot import torch (no such program)`,
    });
  });

  it('uses BREGMAN_PYTHON rather than the candidates when it imports torch', () => {
    expect(findTorchPython({ env: { ...path, BREGMAN_PYTHON: withTorch }, candidates: [withoutTorch] })).toEqual({
      python: withTorch,
      torchVersion: '0.0-fake',
    });
  });

  it('takes the first candidate that imports torch, past missing ones and ones without torch', () => {
    expect(findTorchPython({ env: path, candidates: [missing, withoutTorch, withTorch] })).toEqual({
      python: withTorch,
      torchVersion: '0.0-fake',
    });
  });

  it('says how to get PyTorch when no candidate imports it', () => {
    expect(findTorchPython({ env: path, candidates: [missing, withoutTorch] })).toEqual({ reason: TORCH_NOT_FOUND });
    expect(TORCH_NOT_FOUND).toBe('PyTorch not found: apt-get install python3-torch, or set BREGMAN_PYTHON');
  });
});
