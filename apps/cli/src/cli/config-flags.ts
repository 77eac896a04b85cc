import { type Command, Option } from 'commander';
import { allSettingsSchema } from '../config/run-config-schema';
import type { FieldSpec } from '../config/schema';
import { finiteNumber, numberList } from './flag-parsers';

/** `embeddingDim` → `embedding-dim`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Converts a flag's text to the config value its schema expects (validation proper happens in the schema). */
function parserFor(spec: FieldSpec, flag: string): ((text: string) => unknown) | undefined {
  switch (spec.kind) {
    case 'number':
      return finiteNumber(flag);
    case 'numberList':
      return numberList(flag);
    case 'boolean':
      return (text) => text === 'true';
    default:
      return undefined;
  }
}

/**
 * Adds one flag per run setting (`--embedding-dim`, …) with its doc and default, except the `skip`ped keys (which
 * the command names itself, e.g. `outDir` as `--out`).
 */
export function addConfigFlags(command: Command, skip: readonly string[] = []): void {
  for (const [key, spec] of Object.entries(allSettingsSchema()) as [string, FieldSpec][]) {
    if (skip.includes(key)) continue;
    const flag = `--${kebab(key)}`;
    const defaultText =
      'default' in spec && spec.default !== undefined
        ? ` (default: ${Array.isArray(spec.default) ? spec.default.join(',') : spec.default})`
        : '';
    const option = new Option(`${flag} <value>`, `${spec.doc}${defaultText}`);
    if (spec.kind === 'enum') option.choices([...spec.values]);
    const parse = parserFor(spec, flag);
    if (parse) option.argParser(parse);
    command.addOption(option);
  }
}

/** The run settings among a command's parsed options (config keys, e.g. `embeddingDim`). */
export function settingsFromFlags(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(allSettingsSchema())) if (opts[key] !== undefined) out[key] = opts[key];
  return out;
}
