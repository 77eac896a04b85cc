import { describeValue } from '@empirical-bregman/common';
import { ModelError } from './model-error';

/**
 * Throws `BAD_FORMAT` unless `value` names a file inside a model folder: a relative path of `/`-separated segments,
 * none empty, `.` or `..`, no backslash, no URL scheme. `./` at the start is dropped (tfjs writes `./weights.bin`).
 * Internal.
 */
export function checkRelativeName(component: string, what: string, value: unknown): string {
  const name = typeof value === 'string' ? value.replace(/^(\.\/)+/, '') : value;
  if (
    typeof name !== 'string' ||
    name.length === 0 ||
    name.includes('\\') ||
    /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(name) ||
    name.split('/').some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new ModelError(
      component,
      'BAD_FORMAT',
      `expected ${what} to be a file name inside the folder (relative, no "..", no scheme), got ${describeValue(value)}`,
    );
  }
  return name;
}

/** `name` relative to the folder of `file` (both relative names): weights beside their `model.json`. Internal. */
export function siblingName(file: string, name: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? name : `${file.slice(0, slash + 1)}${name}`;
}
