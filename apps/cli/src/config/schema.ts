import { CliError } from '../cli-error';

/**
 * A tiny declarative schema for configuration objects: each field says its type, its allowed values or range and
 * its default. Validation reports the FIRST problem as one line naming the key and what is allowed — the form a
 * CLI user can act on ("config: unknown key "epoch"; did you mean "epochs"? …").
 */
export type FieldSpec =
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly default?: string; readonly doc: string }
  | {
      readonly kind: 'number';
      readonly integer?: boolean;
      readonly min?: number;
      readonly max?: number;
      /** Exclusive lower bound. */
      readonly above?: number;
      readonly default?: number;
      readonly doc: string;
    }
  | { readonly kind: 'string'; readonly default?: string; readonly pattern?: RegExp; readonly doc: string }
  | { readonly kind: 'boolean'; readonly default?: boolean; readonly doc: string }
  | {
      readonly kind: 'numberList';
      readonly integer?: boolean;
      readonly min?: number;
      readonly maxLength?: number;
      readonly default?: readonly number[];
      readonly doc: string;
    }
  | { readonly kind: 'object'; readonly fields: Schema; readonly doc: string };

export type Schema = Readonly<Record<string, FieldSpec>>;

/** Edit distance, for "did you mean" suggestions. */
function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

export function suggestion(word: string, candidates: readonly string[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean ${JSON.stringify(best)}?` : '';
}

function fail(where: string, message: string): never {
  throw new CliError(where, 'INVALID_ARGUMENT', message);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Validates `raw` against `schema` and returns a complete object (defaults filled in). `where` names the source in
 * the error ("config", "config file runs/x.yaml", "job payload").
 */
export function validateAgainst(schema: Schema, raw: unknown, where: string, path = ''): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail(where, `expected ${path ? `"${path}" to be ` : ''}an object of settings, got ${show(raw)}`);
  }
  const input = raw as Record<string, unknown>;
  const keys = Object.keys(schema);
  for (const key of Object.keys(input)) {
    if (!(key in schema)) {
      const full = path ? `${path}.${key}` : key;
      fail(where, `unknown key "${full}"${suggestion(key, keys)} (allowed: ${keys.join(', ')})`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const full = path ? `${path}.${key}` : key;
    const value = input[key];
    if (value === undefined) {
      if (spec.kind === 'object') out[key] = validateAgainst(spec.fields, {}, where, full);
      else if (spec.default !== undefined) out[key] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
      continue;
    }
    out[key] = validateField(spec, value, where, full);
  }
  return out;
}

function validateField(spec: FieldSpec, value: unknown, where: string, full: string): unknown {
  switch (spec.kind) {
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        const hint = typeof value === 'string' ? suggestion(value, spec.values) : '';
        fail(where, `"${full}" must be one of ${spec.values.join(', ')}; got ${show(value)}${hint}`);
      }
      return value;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(where, `"${full}" must be a finite number; got ${show(value)}`);
      if (spec.integer && !Number.isInteger(value)) fail(where, `"${full}" must be an integer; got ${value}`);
      if (spec.min !== undefined && value < spec.min) fail(where, `"${full}" must be ≥ ${spec.min}; got ${value}`);
      if (spec.max !== undefined && value > spec.max) fail(where, `"${full}" must be ≤ ${spec.max}; got ${value}`);
      if (spec.above !== undefined && value <= spec.above)
        fail(where, `"${full}" must be > ${spec.above}; got ${value}`);
      return value;
    }
    case 'string':
      if (typeof value !== 'string' || value.length === 0)
        fail(where, `"${full}" must be a non-empty string; got ${show(value)}`);
      if (spec.pattern && !spec.pattern.test(value))
        fail(where, `"${full}" must match ${spec.pattern}; got ${show(value)}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail(where, `"${full}" must be true or false; got ${show(value)}`);
      return value;
    case 'numberList': {
      if (!Array.isArray(value)) fail(where, `"${full}" must be a list of numbers; got ${show(value)}`);
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        fail(where, `"${full}" must have at most ${spec.maxLength} entries; got ${value.length}`);
      }
      for (const v of value) {
        if (typeof v !== 'number' || !Number.isFinite(v))
          fail(where, `"${full}" must contain only numbers; got ${show(v)}`);
        if (spec.integer && !Number.isInteger(v)) fail(where, `"${full}" must contain integers; got ${v}`);
        if (spec.min !== undefined && v < spec.min) fail(where, `"${full}" entries must be ≥ ${spec.min}; got ${v}`);
      }
      return [...value];
    }
    case 'object':
      return validateAgainst(spec.fields, value, where, full);
  }
}
