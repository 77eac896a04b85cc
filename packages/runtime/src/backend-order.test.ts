import { describe, expect, it } from 'vitest';
import { type BackendName, planBackends, selectBackend } from './backend-order';

function fakeLoaders(available: BackendName[], calls: BackendName[] = []) {
  const make = (name: BackendName) => async () => {
    calls.push(name);
    if (!available.includes(name)) throw new Error(`${name} is not installed`);
  };
  return {
    tensorflow: make('tensorflow'),
    webgpu: make('webgpu'),
    webgl: make('webgl'),
    wasm: make('wasm'),
    cpu: make('cpu'),
  };
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

  it('in a browser defaults to webgpu, then webgl, then wasm, then cpu; prefer keeps that order for the rest', () => {
    expect(planBackends({ platform: 'browser' }).order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(planBackends({ platform: 'browser', prefer: 'wasm' }).order).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    // A browser's demand is obeyed even for a backend it lacks: the loader then says why it failed.
    expect(planBackends({ platform: 'browser', force: 'tensorflow' }).order).toEqual(['tensorflow']);
  });

  it('rejects unknown backend names with the allowed values', () => {
    expect(() => planBackends({ envValue: 'gpu' })).toThrow(
      'initBackend: expected BREGMAN_BACKEND to be one of tensorflow, webgpu, webgl, wasm, cpu, got "gpu"',
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

  it('in a browser falls from webgpu to webgl to wasm, recording each reason', async () => {
    const calls: BackendName[] = [];
    const result = await selectBackend(planBackends({ platform: 'browser' }), fakeLoaders(['wasm', 'cpu'], calls));
    expect(calls).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(result.attempts).toEqual([
      { backend: 'webgpu', error: 'webgpu is not installed' },
      { backend: 'webgl', error: 'webgl is not installed' },
      { backend: 'wasm' },
    ]);
  });

  it('a backend without a loader fails like one that does not load', async () => {
    const result = await selectBackend(planBackends({ prefer: 'webgl' }), { cpu: async () => {} });
    expect(result.attempts[0]).toEqual({ backend: 'webgl', error: 'no loader for the webgl backend' });
    expect(result.backend).toBe('cpu');
  });

  it('fails clearly when nothing loads', async () => {
    await expect(selectBackend(planBackends({}), fakeLoaders([]))).rejects.toThrow(
      /no tfjs backend could be started; tried tensorflow/,
    );
  });
});
