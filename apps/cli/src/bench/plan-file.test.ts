import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../config/validate-run-config';
import type { BenchPlan } from './bench-suite';
import { readPlan, writePlan } from './plan-file';

const config = (name: string, settings: Record<string, unknown>) =>
  validateRunConfig({ dataset: 'uci-digits', name, ...settings }, 'test');

describe('plan.json', () => {
  it('keeps each cell’s method through bench --resume, and writes no methods key for a divergence-axis suite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-plan-'));
    const plan: BenchPlan = {
      items: [
        {
          config: config('a-s1', { divergence: 'euclidean', loss: 'contrastive' }),
          name: 'a-s1',
          method: 'contrastive',
        },
        { config: config('b-s1', { divergence: 'cosine', loss: 'arc-face' }), name: 'b-s1', method: 'arc-face' },
      ],
      skipped: [],
    };
    writePlan(dir, 'quick', plan);
    const read = readPlan(dir, 'test');
    expect(read.plan.items.map((i) => [i.name, i.method, i.config.loss])).toEqual([
      ['a-s1', 'contrastive', 'contrastive'],
      ['b-s1', 'arc-face', 'arc-face'],
    ]);
    const plain = mkdtempSync(join(tmpdir(), 'eb-plan-'));
    writePlan(plain, 'quick', { items: [{ config: config('c-s1', {}), name: 'c-s1' }], skipped: [] });
    expect(JSON.parse(readFileSync(join(plain, 'plan.json'), 'utf8'))).not.toHaveProperty('methods');
    expect(readPlan(plain, 'test').plan.items[0]).not.toHaveProperty('method');
  });
});
