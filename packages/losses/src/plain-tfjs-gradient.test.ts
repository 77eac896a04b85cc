import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The packages must register tfjs's gradients themselves (convex-net's `ensureGradients`), without `runtime`: a
// program with only tfjs-core and a backend failed with "gradient function not found for Add". The program runs in
// its own `node` process because this test process has every gradient registered by the tensor setup (runtime), and
// on the BUILT packages (`dist`, ESM and CJS), which is what such a program loads.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (ext: 'mjs' | 'cjs') =>
  fileURLToPath(new URL(`../test-fixtures/plain-tfjs-gradient.${ext}`, import.meta.url));

interface FixtureResult {
  registeredBefore: boolean;
  loss: number;
  gradients: number;
  gradientAbsSum: number;
  allFinite: boolean;
}

async function runFixture(ext: 'mjs' | 'cjs', divergence: 'learned' | 'fixed'): Promise<FixtureResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [fixture(ext), divergence], { cwd: packageDir });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as FixtureResult;
}

describe('a plain tfjs program (tfjs-core + tfjs-backend-cpu, no runtime)', () => {
  it('runs on the built packages', () => {
    for (const pkg of ['convex-net', 'bregman-core', 'losses']) {
      const built = fileURLToPath(new URL(`../../${pkg}/dist/index.cjs`, import.meta.url));
      expect(existsSync(built), `${built} is missing: run \`pnpm build\` first`).toBe(true);
    }
  });

  for (const ext of ['mjs', 'cjs'] as const) {
    for (const divergence of ['learned', 'fixed'] as const) {
      it(`gets a finite, non-zero gradient through TripletMarginLoss (${divergence} divergence, ${ext})`, async () => {
        const result = await runFixture(ext, divergence);
        // Nothing registered the gradients before the packages' objects were built: the check is not vacuous.
        expect(result.registeredBefore).toBe(false);
        expect(result.loss).toBeGreaterThan(0);
        // The 12 × 3 embeddings, and φ's variables for the learned divergence.
        expect(result.gradients).toBe(divergence === 'learned' ? 36 + 43 : 36);
        expect(result.allFinite).toBe(true);
        expect(result.gradientAbsSum).toBeGreaterThan(0);
      });
    }
  }
});
