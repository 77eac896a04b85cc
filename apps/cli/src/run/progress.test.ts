import { describe, expect, it } from 'vitest';
import { createProgress } from './progress';

function capture() {
  const writes: string[] = [];
  const stream = { write: (s: string) => writes.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
  return { writes, stream };
}

describe('createProgress', () => {
  it('measures throughput from the steps after the first of each epoch (no rate from a zero interval)', () => {
    const { writes, stream } = capture();
    let t = 1000;
    const progress = createProgress({ stream, live: true, now: () => t });
    progress.step({ epoch: 1, epochs: 2, step: 1, steps: 9, loss: 0.5 });
    expect(writes.at(-1)).toContain('step 1/9 loss 0.5000 – steps/s ETA ?');
    t += 2000;
    progress.step({ epoch: 1, epochs: 2, step: 5, steps: 9, loss: 0.25 });
    // 4 steps in 2 s → 2 steps/s; 4 steps left → 2 s.
    expect(writes.at(-1)).toContain('step 5/9 loss 0.2500 2.0 steps/s ETA 2s');
    expect(writes.at(-1)).toMatch(/^\r\[#{13}\.{11}\]/);
    t += 10_000;
    progress.step({ epoch: 2, epochs: 2, step: 1, steps: 9, loss: 0.2 });
    expect(writes.at(-1)).toContain('epoch 2/2 step 1/9 loss 0.2000 – steps/s ETA ?');
    progress.line('done');
    expect(writes.slice(-2)).toEqual(['\r\x1b[K', 'done\n']);
  });

  it('prints plain lines at 0%, 50% and the end of an epoch when not live, and nothing when quiet', () => {
    const { writes, stream } = capture();
    let t = 0;
    const progress = createProgress({ stream, live: false, now: () => t });
    for (let step = 1; step <= 10; step++) {
      t += 100;
      progress.step({ epoch: 1, epochs: 1, step, steps: 10, loss: 1 / step });
    }
    expect(writes.map((w) => /step (\d+)\/10/.exec(w)?.[1])).toEqual(['5', '10']);
    expect(writes[1]).toContain('10.0 steps/s ETA 0s');
    const quiet = capture();
    const silent = createProgress({ stream: quiet.stream, quiet: true });
    silent.step({ epoch: 1, epochs: 1, step: 1, steps: 1, loss: 0 });
    silent.line('x');
    expect(quiet.writes).toEqual([]);
  });
});
