import { describe, expect, it } from 'vitest';
import { jobIdFor, jobPayload } from '../queue/queue-job';
import { dataParallelWorkers } from './run-config';
import { validateRunConfig } from './validate-run-config';

describe('dataParallel in a run config', () => {
  const base = { dataset: 'mnist-digits', protocol: 'closed-set', divergence: 'icnn', seed: 2 };

  it('is left out at 1, so configs, job ids and run folders stay those of earlier versions', () => {
    const without = validateRunConfig(base);
    const one = validateRunConfig({ ...base, dataParallel: 1 });
    expect('dataParallel' in without).toBe(false);
    expect(JSON.stringify(one)).toBe(JSON.stringify(without));
    expect(jobIdFor(one)).toBe(jobIdFor(without));
    expect(jobPayload(one, 'out').runFolder).toBe(jobPayload(without, 'out').runFolder);
    expect(dataParallelWorkers(without)).toBe(1);
  });

  it('keeps 2 and more (another effective batch: another run), and names the range otherwise', () => {
    const two = validateRunConfig({ ...base, dataParallel: 2 });
    expect(dataParallelWorkers(two)).toBe(2);
    expect(jobIdFor(two)).not.toBe(jobIdFor(validateRunConfig(base)));
    for (const bad of [0, 9, 1.5, '2'])
      expect(() => validateRunConfig({ ...base, dataParallel: bad })).toThrow(/dataParallel/);
  });
});
