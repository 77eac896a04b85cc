import { describe, expect, it } from 'vitest';
import { type BackendName, planBackends, selectBackend } from './backend-order';

function fakeLoaders(available: BackendName[], calls: BackendName[] = []) {
  const make = (name: BackendName) => async () => {
    calls.push(name);
    if (!available.includes(name)) throw new Error(`${name} is not installed`);
  };
  return { tensorflow: make('tensorflow'), wasm: make('wasm'), cpu: make('cpu') };
}

describe('planBackends', () => {
  it('defaults to tensorflow, then wasm, then cpu', () => {
    expect(planBackends({})).toEqual({ order: ['tensorflow', 'wasm', 'cpu'], forced: false, source: 'default' });
  });

  it('puts preferred backends first and keeps the rest as fallbacks', () => {
    expect(planBackends({ prefer: 'cpu' }).order).toEqual(['cpu', 'tensorflow', 'wasm']);
    expect(planBackends({ prefer: ['wasm', 'cpu'] }).order).toEqual(['wasm', 'cpu', 'tensorflow']);
  });

  it('lets BREGMAN_BACKEND override force and prefer', () => {
    expect(planBackends({ envValue: 'cpu', force: 'wasm', prefer: 'tensorflow' })).toEqual({
      order: ['cpu'],
      forced: true,
      source: 'BREGMAN_BACKEND',
    });
    expect(planBackends({ envValue: ' ', force: 'wasm' })).toEqual({ order: ['wasm'], forced: true, source: 'force' });
  });

  it('rejects unknown backend names with the allowed values', () => {
    expect(() => planBackends({ envValue: 'webgl' })).toThrow(
      'initBackend: expected BREGMAN_BACKEND to be one of tensorflow, wasm, cpu, got "webgl"',
    );
    expect(() => planBackends({ prefer: ['gpu' as BackendName] })).toThrow(/expected prefer to name backends/);
  });
});

describe('selectBackend', () => {
  it('falls back to wasm when tfjs-node is absent, recording why', async () => {
    const calls: BackendName[] = [];
    const result = await selectBackend(planBackends({}), fakeLoaders(['wasm', 'cpu'], calls));
    expect(result.backend).toBe('wasm');
    expect(calls).toEqual(['tensorflow', 'wasm']);
    expect(result.attempts).toEqual([
      { backend: 'tensorflow', error: 'tensorflow is not installed' },
      { backend: 'wasm' },
    ]);
  });

  it('falls back to cpu when neither tensorflow nor wasm loads', async () => {
    const result = await selectBackend(planBackends({}), fakeLoaders(['cpu']));
    expect(result.backend).toBe('cpu');
  });

  it('uses tensorflow first when it is installed', async () => {
    const result = await selectBackend(planBackends({}), fakeLoaders(['tensorflow', 'wasm', 'cpu']));
    expect(result.backend).toBe('tensorflow');
  });

  it('fails clearly when a forced backend is missing, without falling back', async () => {
    const calls: BackendName[] = [];
    await expect(
      selectBackend(planBackends({ envValue: 'tensorflow' }), fakeLoaders(['wasm', 'cpu'], calls)),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(
        /backend "tensorflow" was demanded by BREGMAN_BACKEND but cannot be used here: tensorflow is not installed \(install @tensorflow\/tfjs-node/,
      ),
    });
    expect(calls).toEqual(['tensorflow']);
  });

  it('fails clearly when nothing loads', async () => {
    await expect(selectBackend(planBackends({}), fakeLoaders([]))).rejects.toThrow(
      /no tfjs backend could be started; tried tensorflow/,
    );
  });
});
