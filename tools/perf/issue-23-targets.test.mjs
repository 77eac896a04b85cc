import { describe, expect, it } from 'vitest';
import { checkIssue23Targets, ISSUE_23_TARGETS } from './issue-23-targets.mjs';

// Hand-made rows: each figure sits just inside, on, or just outside its bound.
const rows = [
  { id: 'W1', nativeSpeedup: 1.41, peerRatio: 2.0, peerMs: 40, samplesPerStep: 256 },
  { id: 'W4', nativeSpeedup: 1.79, peerRatio: 2.51 },
  { id: 'matMul', openblasShare: 0.8 },
  // 40.4 ms per 2 × 256 samples against PyTorch's 40 ms per 256: 0.505 per sample.
  { id: 'W1-2-workers', ms: 40.4, samplesPerStep: 512, peerRatio: 1.01 },
  { id: 'W3-2-workers', peerError: 'PyTorch peer: expected an answer to W3 on 2 threads, got exit 3: killed' },
];

describe('checkIssue23Targets', () => {
  it('checks each target against its bound, inclusive, on the row it names', () => {
    const checks = checkIssue23Targets(rows);
    expect(checks.map((c) => [c.target, c.value, c.goal, c.met])).toEqual([
      ['W1: wasm + native vs wasm alone', 1.41, '≥ 1.4× faster', true],
      ['W4: wasm + native vs wasm alone', 1.79, '≥ 1.8× faster', false],
      ["matMul 1024³ through tfjs vs OpenBLAS's own sgemm", 0.8, '≥ 0.8 of its GFLOP/s', true],
      ['W1 vs PyTorch', 2.0, '≤ 2× its time', true],
      ['W4 vs PyTorch', 2.51, '≤ 2.5× its time', false],
      [
        "W1 on 2 workers vs PyTorch's W1 step (batch 256), per sample (the issue's comparison)",
        0.505,
        '≤ 1× its time',
        true,
      ],
      ['W1 on 2 workers vs PyTorch on the same 2 × 256 samples, per sample (stricter)', 1.01, '≤ 1× its time', false],
      ['W3 on 2 workers vs PyTorch', null, '≤ 1× its time', null],
    ]);
    expect(checks).toHaveLength(ISSUE_23_TARGETS.length);
  });

  it('leaves a target without status, with the reason, when its figure is missing', () => {
    const off = 'native BLAS off: disabled by BREGMAN_NATIVE=0';
    const checks = checkIssue23Targets([
      { id: 'W1', nativeError: off, peerRatio: 1.5 },
      { id: 'matMul', nativeError: off, openblasError: off },
      { id: 'W3-2-workers', peerError: 'PyTorch not found: apt-get install python3-torch, or set BREGMAN_PYTHON' },
    ]);
    const byTarget = Object.fromEntries(checks.map((c) => [c.target, c]));
    expect(byTarget['W1: wasm + native vs wasm alone']).toMatchObject({ value: null, met: null, note: off });
    expect(byTarget["matMul 1024³ through tfjs vs OpenBLAS's own sgemm"]).toMatchObject({ met: null, note: off });
    // With native off the PyTorch ratio is wasm's: checked, and said so.
    expect(byTarget['W1 vs PyTorch']).toMatchObject({ value: 1.5, met: true, note: `on wasm alone (${off})` });
    expect(byTarget['W4 vs PyTorch']).toMatchObject({
      met: null,
      note: 'row not run (--no-retrieval, or a smaller suite)',
    });
    expect(byTarget['W3 on 2 workers vs PyTorch']).toMatchObject({
      met: null,
      note: 'PyTorch not found: apt-get install python3-torch, or set BREGMAN_PYTHON',
    });
  });

  it('says a PyTorch figure needs --peer pytorch when the row ran without a peer', () => {
    const [, , , w1, , perSample] = checkIssue23Targets([
      { id: 'W1', nativeSpeedup: 2 },
      { id: 'W1-2-workers', ms: 30 },
    ]);
    expect(w1).toMatchObject({ met: null, note: 'no PyTorch figure (run with --peer pytorch)' });
    expect(perSample).toMatchObject({ met: null, note: 'no PyTorch figure (run with --peer pytorch)' });
    expect(checkIssue23Targets([{ id: 'W1-2-workers', ms: 30 }])[5]).toMatchObject({
      met: null,
      note: 'row W1 not run',
    });
  });
});
