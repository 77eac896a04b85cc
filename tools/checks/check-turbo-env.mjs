#!/usr/bin/env node
// turbo 2 runs tasks in strict environment mode: a variable not declared in turbo.json reaches the task as
// undefined, so a test that reads one passes or fails by accident of how it was started. This check reads every
// process.env.<NAME>, env.<NAME> and process.env[<NAME>] in the workspace's sources and tests and fails when a
// name is declared neither in turbo.json (globalEnv, globalPassThroughEnv, or every task's env/passThroughEnv) nor in
// the short list of variables turbo passes to every task by itself.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
// Passed by turbo in strict mode without declaration (its built-in pass-through list), or set by the OS for the
// process itself and never meant to vary a task's result.
const IMPLICIT = new Set(['PATH', 'HOME', 'SHELL', 'TMPDIR', 'TMP', 'TEMP', 'USER', 'LANG', 'TZ', 'NODE_ENV']);

const turbo = JSON.parse(readFileSync(join(root, 'turbo.json'), 'utf8'));
const declaredEverywhere = new Set([...(turbo.globalEnv ?? []), ...(turbo.globalPassThroughEnv ?? [])]);
const tasks = Object.values(turbo.tasks ?? {});
const declaredInAllTasks = (name) =>
  tasks.every((t) => (t.env ?? []).includes(name) || (t.passThroughEnv ?? []).includes(name));

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|mjs|js)$/.test(entry) && !entry.endsWith('.d.ts')) yield path;
  }
}

const reads = new Map(); // name → first file that reads it
for (const group of ['packages', 'apps', 'tools']) {
  for (const file of sourceFiles(join(root, group))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) {
      const name = m[1] ?? m[2];
      if (!reads.has(name)) reads.set(name, relative(root, file));
    }
    // Names read through a constant (process.env[QUEUE_OUT_ENV]): every project variable spelled as a string.
    for (const m of text.matchAll(/['"`](BREGMAN_[A-Z0-9_]+)['"`]/g))
      if (!reads.has(m[1])) reads.set(m[1], relative(root, file));
  }
}

const undeclared = [...reads].filter(
  ([name]) => !IMPLICIT.has(name) && !declaredEverywhere.has(name) && !declaredInAllTasks(name),
);
if (undeclared.length > 0) {
  for (const [name, file] of undeclared)
    console.error(`check-turbo-env: ${name} is read in ${file} but not declared in turbo.json (globalEnv)`);
  process.exit(1);
}
console.error(`check-turbo-env: all ${reads.size} environment variables read by the workspace are declared`);
