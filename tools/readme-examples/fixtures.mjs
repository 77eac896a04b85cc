import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runBlock } from './run-block.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/**
 * Files a README block needs that an example cannot make in a few lines, named by the marker
 * (`<!-- runs fixture=NAME -->`) and written into the block's working folder before it runs.
 */
export const fixtures = {
  /**
   * `runs/2026-12-07-wine-icnn/model`: a model folder written as the CLI's training runs write it (model's own
   * test helper, `packages/model/src/testing/write-test-model.ts`, transpiled here so the two never drift): a
   * table model, 4 features, 3 classes.
   */
  'wine-model': async (dir, timeoutMs) => {
    await build({
      entryPoints: [join(root, 'packages/model/src/testing/write-test-model.ts')],
      outfile: join(dir, 'write-test-model.mjs'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    });
    const setup = [
      "import { initBackend } from '@empirical-bregman/runtime';",
      "import { writeTestModel } from './write-test-model.mjs';",
      'await initBackend({ quiet: true });',
      "const saved = await writeTestModel('runs/2026-12-07-wine-icnn/model', { labelNames: ['class_0', 'class_1', 'class_2'] });",
      'saved.trunk.dispose();',
      'saved.head.dispose();',
    ].join('\n');
    await runBlock(setup, { dir, where: 'fixture wine-model', timeoutMs, name: 'fixture-wine-model' });
  },
};
