import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtures } from './fixtures.mjs';
import { runnableBlocks } from './readme-blocks.mjs';
import { makeWorkFolder, runBlock } from './run-block.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** Per block. The examples take a few seconds; the margin is for a loaded two-core machine and backend start-up. */
const TIMEOUT_MS = 60_000;

const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
  .map((entry) => entry.name)
  .sort();

describe('the convention', () => {
  it('takes ```ts blocks right after <!-- runs -->, with their fence line and fixture, and nothing else', () => {
    const md = [
      '# x', // 1
      '```ts', // 2: unmarked
      'fragment();',
      '```',
      '<!-- runs -->', // 5
      '````ts', // 6: a longer fence may hold ``` lines
      "console.log('a');",
      '```',
      '````',
      '',
      '<!-- runs fixture=wine-model -->',
      '```ts', // 13
      'b();',
      '```',
    ].join('\n');
    expect(runnableBlocks(md)).toEqual([
      { line: 6, code: "console.log('a');\n```\n", fixture: null },
      { line: 12, code: 'b();\n', fixture: 'wine-model' },
    ]);
  });

  it('refuses a marker that is not followed by a ```ts fence', () => {
    expect(() => runnableBlocks('<!-- runs -->\n\n```ts\nx\n```\n')).toThrow(/line 1: expected a ```ts fence/);
    expect(() => runnableBlocks('<!-- runs -->\n```js\nx\n```\n')).toThrow(/line 1: expected a ```ts fence/);
  });

  it('fails a block that throws or hangs, naming the README line and the error', async () => {
    const work = makeWorkFolder();
    try {
      const thrown = runBlock("const n: number = 1;\nthrow new Error('boom ' + n);\n", {
        dir: work.dir,
        where: 'packages/x/README.md:7',
        timeoutMs: TIMEOUT_MS,
        name: 'throws',
      });
      await expect(thrown).rejects.toThrow(/^packages\/x\/README\.md:7: the block exited with 1\n[\s\S]*boom 1/);
      const hangs = runBlock('setInterval(() => {}, 1000);\n', {
        dir: work.dir,
        where: 'packages/x/README.md:9',
        timeoutMs: 500,
        name: 'hangs',
      });
      await expect(hangs).rejects.toThrow('packages/x/README.md:9: the block did not finish within 0.5 s');
    } finally {
      work.remove();
    }
  });
});

for (const name of packages) {
  const readmePath = join('packages', name, 'README.md');
  const markdown = existsSync(join(root, readmePath)) ? readFileSync(join(root, readmePath), 'utf8') : '';
  const blocks = runnableBlocks(markdown);

  describe(readmePath, () => {
    const work = makeWorkFolder();
    afterAll(() => work.remove());

    it('has at least one runnable block (<!-- runs --> before a ```ts fence)', () => {
      expect(blocks.length, `${readmePath}: no block marked <!-- runs -->`).toBeGreaterThan(0);
    });

    for (const block of blocks) {
      const where = `${readmePath}:${block.line}`;
      it(`block at line ${block.line} exits 0`, async () => {
        if (block.fixture !== null) {
          const fixture = fixtures[block.fixture];
          if (!fixture) throw new Error(`${where}: unknown fixture ${block.fixture}`);
          await fixture(work.dir, TIMEOUT_MS);
        }
        await runBlock(block.code, {
          dir: work.dir,
          where,
          timeoutMs: TIMEOUT_MS,
          name: `block-${block.line}`,
          sourcefile: join(root, readmePath),
          firstLine: block.line + 1,
        });
      });
    }
  });
}
