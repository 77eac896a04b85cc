import { describe, expect, it } from 'vitest';
import type { ModelError } from './model-error';
import { parseModelManifest } from './parse-model-manifest';

/** The manifest of the task's specification, with a standardizer and feature names. */
function valid(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    format: 'empirical-bregman-model',
    createdAt: '2026-12-07T10:00:00.000Z',
    producer: { name: '@empirical-bregman/cli', version: '0.0.0', tfjs: '4.22.0' },
    trunk: 'model.json',
    divergence: 'divergence.json',
    embeddingDim: 16,
    querySlot: 'left',
    input: {
      kind: 'table',
      sampleShape: [2],
      featureNames: ['f1', 'f2'],
      standardizer: { mean: [0.5, -1], std: [2, 0.25] },
    },
    labels: { names: ['0', '1', '2'] },
    data: { source: 'wine', fingerprint: 'ab'.repeat(32) },
  };
}

/** The error `parseModelManifest` throws for `manifest`, as { code, message }. */
function failure(manifest: unknown): { code: string; message: string } {
  try {
    parseModelManifest(manifest);
  } catch (error) {
    return { code: (error as ModelError).code, message: (error as ModelError).message };
  }
  throw new Error('expected parseModelManifest to throw');
}

/** The valid manifest with the value at a dotted `path` replaced (`undefined`: the key removed). */
function edit(...changes: [path: string, value: unknown][]): Record<string, unknown> {
  const m = valid();
  for (const [path, value] of changes) {
    const keys = path.split('.');
    let node = m as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    if (value === undefined) delete node[keys.at(-1)!];
    else node[keys.at(-1)!] = value;
  }
  return m;
}

describe('parseModelManifest', () => {
  it('returns a valid manifest as is', () => {
    expect(parseModelManifest(valid())).toEqual(valid());
    const image = edit(
      ['input', { kind: 'image', sampleShape: [28, 28, 1], divisor: 255 }],
      ['data.fingerprint', null],
      ['querySlot', 'right'],
    );
    expect(parseModelManifest(image)).toEqual(image);
  });

  it('an unknown schemaVersion is one clear UNSUPPORTED error naming it and the version read', () => {
    // With a field only version 2 knows: the version error comes first.
    const newer = failure(edit(['schemaVersion', 2], ['somethingNew', true]));
    expect(newer.code).toBe('UNSUPPORTED');
    expect(newer.message).toBe(
      'parseModelManifest: expected manifest.json schemaVersion 1 (the only version this @empirical-bregman/model reads), got schemaVersion 2: upgrade @empirical-bregman/model',
    );
    expect(failure(edit(['schemaVersion', 0])).code).toBe('UNSUPPORTED');
    expect(failure(edit(['schemaVersion', '1'])).code).toBe('BAD_FORMAT');
    expect(failure(edit(['schemaVersion', undefined])).code).toBe('BAD_FORMAT');
  });

  it('not a model manifest at all: BAD_FORMAT on format', () => {
    expect(failure([]).message).toMatch(/expected manifest.json to hold a JSON object, got an array/);
    expect(failure(edit(['format', 'tfjs'])).message).toMatch(/format to be "empirical-bregman-model", got "tfjs"/);
  });

  it.each([
    ['a misspelt optional key', 'input.standardiser', { mean: [0, 0], std: [1, 1] }, /unknown key "standardiser"/],
    ['an unknown top-level key', 'extra', 1, /unknown key "extra"/],
    ['a missing field', 'labels', undefined, /to have labels, got no such key/],
    ['a missing nested field', 'producer.tfjs', undefined, /to have producer.tfjs/],
    [
      'a standardizer of the wrong length',
      'input.standardizer.mean',
      [1, 2, 3],
      /standardizer.mean of length 2 .*got length 3/,
    ],
    ['a zero std', 'input.standardizer.std', [1, 0], /std to be positive \(std\[1\]\), got 0/],
    ['feature names of another count', 'input.featureNames', ['a'], /featureNames only for kind "table"/],
    ['feature names for an image', 'input.kind', 'image', /featureNames only for kind "table"/],
    ['a bad sample shape', 'input.sampleShape', [2, 0], /sampleShape to be a non-empty array of positive integers/],
    ['a bad divisor', 'input.divisor', 0, /divisor to be a positive finite number, got 0/],
    ['an unknown kind', 'input.kind', 'audio', /input.kind to be "table", "image" or "array"/],
    ['a bad embeddingDim', 'embeddingDim', 1.5, /embeddingDim to be a positive integer, got 1.5/],
    ['a bad slot', 'querySlot', 'both', /querySlot to be "left" or "right"/],
    ['a trunk outside the folder', 'trunk', '../model.json', /trunk to be a file name inside the folder/],
    ['a trunk URL', 'trunk', 'https://x/model.json', /trunk to be a file name inside the folder/],
    ['label names that are not strings', 'labels.names', [0, 1], /labels.names to be an array of strings/],
    ['a bad fingerprint', 'data.fingerprint', 'xyz', /data.fingerprint to be a SHA-256/],
    ['a bad time', 'createdAt', 'yesterday', /createdAt to be an ISO 8601 time/],
  ])('BAD_FORMAT for %s', (_, path, value, message) => {
    const got = failure(edit([path, value]));
    expect(got.code).toBe('BAD_FORMAT');
    expect(got.message).toMatch(message);
  });
});
