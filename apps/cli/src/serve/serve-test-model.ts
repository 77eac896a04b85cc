import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '@empirical-bregman/common';
import { runBregman } from '../testing/run-bregman';

/** Rows of 4 features around a per-class centre (class i % 3), as the users' rows of a table would be. */
export function tableRows(n: number, seed: number): { rows: number[][]; labels: number[] } {
  const rng = new SeededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    rows.push([0, 1, 2, 3].map((j) => c * 2 + j * 0.1 + rng.normal(0, 0.3)));
    labels.push(c);
  }
  return { rows, labels };
}

/**
 * TESTS ONLY: trains a tiny closed-set ICNN model on a 3-class, 4-feature CSV with the built CLI (a few seconds)
 * in `root` and resolves with its model folder (`<run>/model`).
 */
export async function trainTinyTableModel(root: string): Promise<string> {
  const csv = join(root, 'flowers.csv');
  const { rows, labels } = tableRows(90, 1);
  const names = ['setosa', 'versicolor', 'virginica'];
  const lines = [
    'a,b,c,d,label',
    ...rows.map((r, i) => `${r.map((v) => v.toFixed(3)).join(',')},${names[labels[i]!]}`),
  ];
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const out = join(root, 'runs');
  const args = [
    'train',
    '--data',
    csv,
    '--protocol',
    'closed-set',
    '--hidden',
    '16',
    '--embedding-dim',
    '4',
    '--icnn-hidden',
    '8',
    '--epochs',
    '2',
    '--steps-per-epoch',
    '3',
    '--patience',
    '0',
    '--batch-size',
    '12',
    '--quiet',
    '--out',
    out,
  ];
  const done = await runBregman(args);
  if (done.status !== 0) throw new Error(`bregman train failed (${done.status}): ${done.stderr}`);
  const [run] = readdirSync(out);
  return join(out, run!, 'model');
}
