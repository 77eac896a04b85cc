import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeTestModel } from './testing/write-test-model';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, '..');
const root = mkdtempSync(join(tmpdir(), 'eb-model-readme-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The run folder the README's example names; the test puts its own model folder there instead. */
const RUN = 'runs/2026-12-07-wine-icnn';

/** The first ```ts block after the heading `## Example (Node)`. */
function readmeExample(): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Example (Node)'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md: no ```ts block under "## Example (Node)"');
  return match[1]!;
}

describe('README example', () => {
  it('runs as written, on a model folder written like the CLI’s, and leaves no tensor behind', async () => {
    const saved = await writeTestModel(join(root, 'model'), { labelNames: ['class_0', 'class_1', 'class_2'] });
    saved.trunk.dispose();
    saved.head.dispose();
    const code = readmeExample();
    expect(code).toContain(`'${RUN}/model'`);
    // Written beside this package's sources so that its imports resolve as in a user's project (vitest transforms
    // the TypeScript and maps the workspace packages to their sources).
    const file = join(packageDir, `.readme-example-${process.pid}.ts`);
    writeFileSync(file, code.replaceAll(RUN, root));
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(
        args
          .map((a) =>
            typeof a === 'string'
              ? a
              : JSON.stringify(a, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v)),
          )
          .join(' '),
      );
    });
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
      unlinkSync(file);
    }
    const line = (prefix: string) => lines.find((l) => l.startsWith(prefix)) ?? `(no line ${prefix})`;
    expect(lines[0]).toBe('table [4] 3 left ["class_0","class_1","class_2"]');
    expect(line('embeddings')).toBe('embeddings [12,3]');
    expect(line('size after add')).toBe('size after add 96');
    // The k-NN vote gets every query right on the example's data; the centroid rule is coarser (checked on a
    // separable set in bregman-model-index.test.ts): here only its form.
    const truth = JSON.stringify(Array.from({ length: 12 }, (_, i) => i % 3));
    expect(line('k-NN')).toMatch(
      new RegExp(
        `^k-NN \\${truth.slice(0, -1)}\\] centroid \\[[0-2](,[0-2]){11}\\] \\["class_0","class_1","class_2"\\]$`,
      ),
    );
    expect(line('threshold')).toMatch(/^threshold \{"threshold":[\d.e-]+,"precision":/);
    expect(line('same after load')).toBe('same after load true');
    const [, before, after] = /^tensors before and after (\d+) (\d+)$/.exec(line('tensors'))!;
    expect(after).toBe(before);
  });
});
