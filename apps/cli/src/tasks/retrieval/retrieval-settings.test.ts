import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../config/validate-run-config';
import { LOSS_NAMES, MINER_NAMES, REDUCER_NAMES, REGULARIZER_NAMES } from './loss-registry';
import { lossSettingsOf } from './retrieval-settings';

const base = { dataset: 'mnist-digits', protocol: 'closed-set', seed: 2 };
const validate = (settings: Record<string, unknown>) => validateRunConfig({ ...base, ...settings });
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the loss settings keep existing run configs as they were', () => {
  it('adds no key to a config that does not set them (the keys of the schema before they existed)', () => {
    const before = [
      'dataset',
      'protocol',
      'divergence',
      'trunk',
      'hidden',
      'embeddingDim',
      'loss',
      'miner',
      'margin',
      'temperature',
      'epochs',
      'stepsPerEpoch',
      'patience',
      'batchSize',
      'samplesPerClass',
      'learningRate',
      'divergenceLearningRate',
      'weightDecay',
      'icnnHidden',
      'icnnMu',
      'maxAffinePieces',
      'validation',
      'valClasses',
      'valFraction',
      'testFraction',
      'maxTrainSamples',
      'maxEvalSamples',
      'seed',
      'outDir',
    ];
    const config = validate({});
    expect(Object.keys(config).sort()).toEqual(before.sort());
    expect(config).toMatchObject({ loss: 'triplet', miner: 'none' });
    expect(lossSettingsOf(config)).toEqual({ regularizerWeight: 1 });
  });

  it('keeps the keys that are set', () => {
    const config = validate({
      loss: 'arc-face',
      divergence: 'cosine',
      reducer: 'sum',
      regularizer: 'regular-face',
      regularizerWeight: 0.5,
    });
    expect(lossSettingsOf(config)).toEqual({ reducer: 'sum', regularizer: 'regular-face', regularizerWeight: 0.5 });
    expect(lossSettingsOf(validate({ memorySize: 512 }))).toEqual({ regularizerWeight: 1, memorySize: 512 });
  });

  it('are settings of retrieval runs only (a divergence-regression config refuses them)', () => {
    expect(() => validateRunConfig({ dataset: 'divergence-regression', reducer: 'sum' })).toThrow(
      /^config: unknown key "reducer"/,
    );
  });
});

describe('the config validator refuses loss settings that cannot train together, in one line', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'an angular loss on another head',
      { loss: 'arc-face', divergence: 'icnn' },
      'config: expected "divergence" cosine for "loss" arc-face (its margin is an angle), got icnn',
    ],
    [
      'sub-center ArcFace on the Euclidean head',
      { loss: 'sub-center-arc-face', divergence: 'euclidean' },
      'config: expected "divergence" cosine for "loss" sub-center-arc-face (its margin is an angle), got euclidean',
    ],
    [
      'the tuplet margin loss on a learned head',
      { loss: 'tuplet-margin', divergence: 'mahalanobis' },
      'config: expected "divergence" cosine for "loss" tuplet-margin (its margin is an angle), got mahalanobis',
    ],
    [
      'a weight regularizer on a loss without weights',
      { loss: 'triplet', regularizer: 'regular-face' },
      'config: expected a "loss" with class weights for "regularizer" regular-face (proxy-anchor, proxy-nca, bregman-softmax-proxies, arc-face, sub-center-arc-face, cos-face, normalized-softmax, soft-triple), got "loss" triplet',
    ],
    [
      'sparse centers on a loss with one center per class',
      { loss: 'arc-face', divergence: 'cosine', regularizer: 'sparse-centers' },
      'config: expected a "loss" with several centers per class for "regularizer" sparse-centers (sub-center-arc-face, soft-triple), got "loss" arc-face',
    ],
    [
      'a miner for a loss with class weights',
      { loss: 'cos-face', miner: 'batch-hard' },
      'config: expected a "loss" that takes mined pairs or triplets for "miner" batch-hard (triplet, contrastive, multi-similarity, ntxent, supcon, nca, lifted-structure, margin, circle, fast-ap, n-pairs, tuplet-margin, histogram, intra-pair-variance), got "loss" cos-face',
    ],
    [
      'a miner for a loss that forms its own pairs',
      { loss: 'instance', miner: 'semihard' },
      'expected a "loss" that takes mined pairs or triplets for "miner" semihard',
    ],
    [
      'a per-anchor reducer for a loss without anchors',
      { loss: 'histogram', reducer: 'per-anchor' },
      'config: expected a "loss" whose elements have anchors for "reducer" per-anchor (triplet, contrastive, multi-similarity, ntxent, supcon, proxy-nca, nca, lifted-structure, margin, circle, fast-ap, n-pairs, tuplet-margin, instance, intra-pair-variance, bregman-softmax, bregman-softmax-proxies, arc-face, sub-center-arc-face, cos-face, normalized-softmax, soft-triple), got "loss" histogram',
    ],
    [
      'a per-anchor reducer for per-proxy terms',
      { loss: 'proxy-anchor', reducer: 'per-anchor' },
      'expected a "loss" whose elements have anchors for "reducer" per-anchor (',
    ],
    [
      'a regularizer weight without a regularizer',
      { regularizerWeight: 2 },
      'config: expected "regularizerWeight" only with "regularizer", got it without',
    ],
    [
      'cross-batch memory for a loss whose weights are its references',
      { loss: 'proxy-anchor', memorySize: 512 },
      'config: expected a "loss" that compares a batch with other embeddings for "memorySize", got "loss" proxy-anchor (its class weights are its reference set)',
    ],
    [
      'the angular miner on a memory too large for its n·m² candidates',
      { miner: 'angular', memorySize: 65536, batchSize: 64 },
      'config: expected "batchSize" × "memorySize"² ≤ 1073741824 for "miner" angular (it weighs every anchor, positive and negative), got 64 × 65536² = 274877906944',
    ],
    [
      'the angular miner on one batch too large for it',
      { miner: 'angular', batchSize: 1025 },
      'config: expected "batchSize" × "memorySize"² ≤ 1073741824 for "miner" angular (it weighs every anchor, positive and negative), got 1025 × 1025² = 1076890625',
    ],
    [
      'a memory smaller than a batch',
      { memorySize: 100, batchSize: 120 },
      'config: expected "memorySize" ≥ "batchSize" 120 (a batch must fit), got 100',
    ],
  ];
  it.each(cases)('%s', (_, settings, message) => {
    let thrown: unknown;
    try {
      validate(settings);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const text = (thrown as Error).message;
    expect(text).not.toContain('\n');
    if (message.startsWith('config:')) expect(text).toBe(message);
    else expect(text).toContain(message);
  });

  it('accepts the angular miner up to its bound: a batch of 64 against a memory of 4,096 is 2³⁰ candidates', () => {
    expect(validate({ miner: 'angular', batchSize: 64, memorySize: 4096 }).miner).toBe('angular');
    expect(validate({ miner: 'angular', batchSize: 1024 }).miner).toBe('angular');
  });

  it('accepts the angular losses on the cosine head, with a weight regularizer', () => {
    for (const loss of ['arc-face', 'sub-center-arc-face', 'tuplet-margin'])
      expect(validate({ loss, divergence: 'cosine' }).loss).toBe(loss);
    expect(validate({ loss: 'soft-triple', regularizer: 'sparse-centers' }).loss).toBe('soft-triple');
  });

  it.each([
    ['loss', 'arcface', LOSS_NAMES, 'arc-face'],
    ['miner', 'batchhard', MINER_NAMES, 'batch-hard'],
    ['reducer', 'avg-nonzero', REDUCER_NAMES, 'avg-non-zero'],
    ['regularizer', 'regularface', REGULARIZER_NAMES, 'regular-face'],
  ] as const)('names every valid %s for an unknown one', (key, wrong, names, close) => {
    expect(() => validate({ [key]: wrong })).toThrow(
      new RegExp(
        `^config: "${key}" must be one of ${escapeRegExp(names.join(', '))}; got "${wrong}"; did you mean "${close}"\\?$`,
      ),
    );
  });
});

describe('the CLI README', () => {
  it('documents every registered loss, miner, reducer and regularizer', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Losses, miners, reducers, regularizers'),
      readme.indexOf('## Exit codes'),
    );
    for (const name of [...LOSS_NAMES, ...MINER_NAMES, ...REDUCER_NAMES, ...REGULARIZER_NAMES])
      expect(section).toContain(`\`${name}\``);
  });
});
