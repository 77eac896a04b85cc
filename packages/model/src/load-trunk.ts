import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './model-error';
import type { ModelSource } from './model-source';
import { readRequiredBytes, readRequiredJson } from './read-model-file';
import { checkRelativeName, siblingName } from './relative-name';

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/**
 * Loads the trunk, a tfjs-layers model in the standard tfjs format (`model.json` naming its weight files beside
 * it), through an IOHandler reading from `source`, and returns it with the bytes of every file read (for the
 * model's fingerprint and `save`). Missing files are `NOT_FOUND`; malformed ones, or weights whose byte count is
 * not what `model.json` declares, `BAD_FORMAT`. Internal.
 */
export async function loadTrunk(
  component: string,
  source: ModelSource,
  trunkName: string,
): Promise<{ trunk: tfl.LayersModel; files: [string, Uint8Array][] }> {
  const { value, bytes } = await readRequiredJson(component, source, trunkName, 'the trunk');
  const files: [string, Uint8Array][] = [[trunkName, bytes]];
  const modelJson = value as tf.io.ModelJSON;
  if (
    modelJson === null ||
    typeof modelJson !== 'object' ||
    typeof modelJson.modelTopology !== 'object' ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new ModelError(
      component,
      'BAD_FORMAT',
      `expected ${trunkName} to be a tfjs-layers model.json (modelTopology, weightsManifest), got keys ${Object.keys(modelJson ?? {}).join(', ') || 'none'}`,
    );
  }
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const parts: Uint8Array[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const path of group.paths) {
            const name = siblingName(trunkName, checkRelativeName(component, `a weights path in ${trunkName}`, path));
            const part = await readRequiredBytes(component, source, name, 'the weights file');
            files.push([name, part]);
            parts.push(part);
          }
        }
        const total = parts.reduce((n, p) => n + p.byteLength, 0);
        const expected = specs.reduce<number | null>((sum, spec) => {
          const width = BYTES[spec.quantization?.dtype ?? spec.dtype];
          return sum === null || width === undefined ? null : sum + spec.shape.reduce((a, b) => a * b, 1) * width;
        }, 0);
        if (expected !== null && total !== expected) {
          throw new ModelError(
            component,
            'BAD_FORMAT',
            `expected ${expected} bytes of weights (declared in ${trunkName}), got ${total} in ${source.description}`,
          );
        }
        const joined = new Uint8Array(total);
        let offset = 0;
        for (const p of parts) {
          joined.set(p, offset);
          offset += p.byteLength;
        }
        return [specs, joined.buffer];
      }),
  };
  let trunk: tfl.LayersModel;
  try {
    trunk = await tfl.loadLayersModel(handler);
  } catch (error) {
    if (isEmpiricalBregmanError(error)) throw error;
    throw new ModelError(
      component,
      'BAD_FORMAT',
      `expected ${trunkName} in ${source.description} to load as a tfjs-layers model, got ${String(error)}`,
      { cause: error },
    );
  }
  return { trunk, files };
}
