import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from './model-error';
import { loadModel } from './node/load-model';
import { writeTestModel } from './testing/write-test-model';

const root = mkdtempSync(join(tmpdir(), 'eb-model-errors-'));
const good = join(root, 'good');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const saved = await writeTestModel(good);
  saved.trunk.dispose();
  saved.head.dispose();
});

/** A copy of the good model folder, changed by `change`. */
function variant(name: string, change: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(good, dir, { recursive: true });
  change(dir);
  return dir;
}

function editJson(file: string, change: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  change(json);
  writeFileSync(file, JSON.stringify(json));
}

async function failure(dir: string): Promise<ModelError> {
  try {
    (await loadModel(dir)).dispose();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    expect(isEmpiricalBregmanError(error)).toBe(true);
    return error as ModelError;
  }
  throw new Error(`expected loading ${dir} to fail`);
}

describe('BregmanModel.load: errors a user can act on, and nothing left behind', () => {
  const before = { tensors: 0 };
  beforeAll(() => {
    before.tensors = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(before.tensors);
  });

  it.each([
    ['manifest.json', /expected the manifest manifest.json in .*, got no such file/],
    ['model.json', /expected the trunk model.json in .*, got no such file/],
    ['weights.bin', /expected the weights file weights.bin in .*, got no such file/],
    ['divergence.json', /expected the divergence divergence.json in .*, got no such file/],
  ])('a missing %s is NOT_FOUND', async (file, message) => {
    const error = await failure(variant(`missing-${file}`, (dir) => unlinkSync(join(dir, file))));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(message);
    expect(error.component).toBe('BregmanModel.load');
  });

  it('a manifest of another schema version is UNSUPPORTED', async () => {
    const dir = variant('v2', (d) => editJson(join(d, 'manifest.json'), (m) => (m.schemaVersion = 2)));
    const error = await failure(dir);
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/schemaVersion 1 .*got schemaVersion 2/);
  });

  it('a trunk that does not take the manifest’s sampleShape is BAD_FORMAT', async () => {
    const dir = variant('shape', (d) =>
      editJson(join(d, 'manifest.json'), (m) => {
        const input = m.input as Record<string, unknown>;
        input.sampleShape = [5];
        input.featureNames = ['a', 'b', 'c', 'd', 'e'];
        input.standardizer = { mean: [0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1] };
      }),
    );
    const error = await failure(dir);
    expect(error.code).toBe('BAD_FORMAT');
    expect(error.message).toMatch(/expected a trunk taking \[null, 5\] .* got \[null, 4\]/);
  });

  it('an embeddingDim that is not the trunk’s output or the head’s width is BAD_FORMAT', async () => {
    const error = await failure(variant('dim', (d) => editJson(join(d, 'manifest.json'), (m) => (m.embeddingDim = 5))));
    expect(error.code).toBe('BAD_FORMAT');
    expect(error.message).toMatch(
      /expected a trunk giving \[null, 5\] \(embeddingDim\) in model.json, got \[null, 3\]/,
    );
  });

  it('truncated weights, a broken divergence.json, a trunk that is not JSON: BAD_FORMAT', async () => {
    const truncated = await failure(variant('truncated', (d) => truncateSync(join(d, 'weights.bin'), 10)));
    expect(truncated.code).toBe('BAD_FORMAT');
    expect(truncated.message).toMatch(/bytes of weights \(declared in model.json\), got 10/);
    const head = await failure(
      variant('head', (d) => writeFileSync(join(d, 'divergence.json'), JSON.stringify({ type: 'NoSuchDivergence' }))),
    );
    expect(head.code).toBe('BAD_FORMAT');
    expect(head.message).toMatch(/divergence.json to hold a divergence bregman-core rebuilds, got: .*NoSuchDivergence/);
    const text = await failure(variant('text', (d) => writeFileSync(join(d, 'model.json'), 'not json')));
    expect(text.code).toBe('BAD_FORMAT');
    expect(text.message).toMatch(/expected JSON in model.json/);
  });

  it('weights named outside the folder are refused', async () => {
    const dir = variant('escape', (d) =>
      editJson(join(d, 'model.json'), (m) => {
        (m.weightsManifest as { paths: string[] }[])[0]!.paths = ['../good/weights.bin'];
      }),
    );
    const error = await failure(dir);
    expect(error.code).toBe('BAD_FORMAT');
    expect(error.message).toMatch(/weights path in model.json to be a file name inside the folder/);
  });
});
