import { utf8Text } from './utf8';
import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import { ModelError } from './model-error';
import type { ModelSource } from './model-source';

/** The bytes of a file the model (or index) needs: `NOT_FOUND` when the source has none, `IO` when reading fails. Internal. */
export async function readRequiredBytes(
  component: string,
  source: ModelSource,
  name: string,
  what: string,
): Promise<Uint8Array> {
  let bytes: Uint8Array | null;
  try {
    bytes = await source.readBytes(name);
  } catch (error) {
    if (isEmpiricalBregmanError(error)) throw error;
    throw new ModelError(component, 'IO', `expected to read ${name} from ${source.description}, got ${String(error)}`, {
      cause: error,
    });
  }
  if (bytes === null) {
    throw new ModelError(component, 'NOT_FOUND', `expected ${what} ${name} in ${source.description}, got no such file`);
  }
  return bytes;
}

/** A required JSON file, parsed: `NOT_FOUND`, `IO`, or `BAD_FORMAT` when it is not UTF-8 JSON. Internal. */
export async function readRequiredJson(
  component: string,
  source: ModelSource,
  name: string,
  what: string,
): Promise<{ value: unknown; bytes: Uint8Array }> {
  const bytes = await readRequiredBytes(component, source, name, what);
  try {
    return { value: JSON.parse(utf8Text(bytes)), bytes };
  } catch (error) {
    throw new ModelError(
      component,
      'BAD_FORMAT',
      `expected JSON in ${name} (${source.description}), got ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}
