import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { writeFileAtomic } from '@empirical-bregman/node-io';
import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from './runtime-error';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * Saves and loads tfjs models (`model.save(handler)`, `tf.loadLayersModel(handler)`) in the standard tfjs layout
 * (`model.json` + `weights.bin`) in a folder. tfjs registers a `file://` handler only with tfjs-node, which cannot
 * be installed everywhere, so the project uses this one. Writes are atomic (weights first, then `model.json`, each
 * through a temporary file and a rename), so a crash never leaves a half-written model.
 *
 * ```ts
 * await model.save(fileSystemIOHandler('runs/x/model'));
 * const again = await tf.loadLayersModel(fileSystemIOHandler('runs/x/model'));
 * ```
 */
export function fileSystemIOHandler(directory: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new RuntimeError('fileSystemIOHandler.save', 'UNSUPPORTED', 'expected a JSON model topology, got binary');
      }
      const weightData = artifacts.weightData
        ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
        : new Uint8Array(0);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(join(directory, WEIGHTS_BIN), weightData);
      writeFileAtomic(join(directory, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(directory, MODEL_JSON);
      if (!existsSync(jsonPath)) {
        throw new RuntimeError(
          'fileSystemIOHandler.load',
          'NOT_FOUND',
          `expected a saved model at ${jsonPath}, got no such file`,
        );
      }
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new RuntimeError(
          'fileSystemIOHandler.load',
          'BAD_FORMAT',
          `expected JSON in ${jsonPath}, got: ${(error as Error).message}`,
        );
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: Uint8Array[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const file = join(directory, p);
            // A manifest names files beside model.json; a path that leaves the folder is not a model's.
            if (relative(directory, file).startsWith('..') || isAbsolute(p)) {
              throw new RuntimeError(
                'fileSystemIOHandler.load',
                'BAD_FORMAT',
                `expected weight paths inside ${directory} in ${jsonPath}, got ${JSON.stringify(p)}`,
              );
            }
            if (!existsSync(file)) {
              throw new RuntimeError(
                'fileSystemIOHandler.load',
                'NOT_FOUND',
                `expected the weights file ${file}, got no such file`,
              );
            }
            buffers.push(readFileSync(file));
          }
        }
        const total = buffers.reduce((n, b) => n + b.byteLength, 0);
        const expected = manifestByteLength(specs);
        if (expected !== null && total !== expected) {
          throw new RuntimeError(
            'fileSystemIOHandler.load',
            'BAD_FORMAT',
            `expected ${expected} bytes of weights in ${manifest.flatMap((g) => g.paths).join(', ')} (from ${jsonPath}), got ${total} (${total < expected ? 'a truncated' : 'junk appended to a'} weights file)`,
          );
        }
        const joined = new Uint8Array(total);
        let offset = 0;
        for (const b of buffers) {
          joined.set(b, offset);
          offset += b.byteLength;
        }
        return [specs, joined.buffer];
      });
    },
  };
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes the manifest's weights take (quantised ones at their stored width), or null when one cannot be sized. */
function manifestByteLength(specs: readonly tf.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const width = BYTES[spec.quantization?.dtype ?? spec.dtype];
    if (width === undefined) return null;
    total += spec.shape.reduce((a, b) => a * b, 1) * width;
  }
  return total;
}
