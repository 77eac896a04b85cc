import { describe, expect, it } from 'vitest';
import { EmpiricalBregmanError, isEmpiricalBregmanError } from './errors';
import type { NamedArray } from './named-array';
import { namedArrayFromJSON, namedArrayToJSON } from './named-array-json';

class ModelError extends EmpiricalBregmanError {}

describe('NamedArray and its JSON encoding', () => {
  it('round-trips float32 values bit for bit through JSON.stringify', () => {
    const w: NamedArray<'float32'> = {
      name: 'w',
      shape: [2, 3],
      values: Float32Array.of(0.1, -1e-30, 3.4e38, 1 / 3, 1e-45, 7),
    };
    const json = JSON.parse(JSON.stringify(namedArrayToJSON(w)));
    // The on-disk form saved models have always used: { shape, values }, no name, no dtype for float32.
    expect(Object.keys(json).sort()).toEqual(['shape', 'values']);
    const back = namedArrayFromJSON(json, 'w');
    expect(back.name).toBe('w');
    expect(back.shape).toEqual([2, 3]);
    expect(back.dtype).toBeUndefined();
    expect(back.values).toBeInstanceOf(Float32Array);
    expect(Array.from(back.values)).toEqual(Array.from(w.values));
  });

  it('keeps int32 arrays int32, and scalars as shape []', () => {
    const step: NamedArray = { name: 'iter', shape: [], dtype: 'int32', values: Int32Array.of(-(2 ** 31)) };
    const json = JSON.parse(JSON.stringify(namedArrayToJSON(step)));
    expect(json).toEqual({ shape: [], dtype: 'int32', values: [-(2 ** 31)] });
    const back = namedArrayFromJSON(json, 'iter');
    expect(back.dtype).toBe('int32');
    expect(back.values).toBeInstanceOf(Int32Array);
    expect(Array.from(back.values)).toEqual([-(2 ** 31)]);
    // 'float32' written out explicitly reads as float32 too.
    expect(namedArrayFromJSON({ shape: [1], dtype: 'float32', values: [2] }, 'x').values).toBeInstanceOf(Float32Array);
  });

  it('rejects malformed JSON with BAD_FORMAT errors naming the component and the array', () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /expected 'A0' as \{ shape: number\[\], values: number\[\] \}, got none/],
      [{ shape: [2] }, /got an object with keys \[shape\]/],
      [{ shape: [2, -1], values: [] }, /a shape of non-negative integers, got \[2, -1\]/],
      [{ shape: [2, 2], values: [1, 2, 3] }, /shape \[2, 2\] with 4 values, got 3/],
      [{ shape: [2], values: [1, null] }, /finite numbers, got null at index 1/],
      [{ shape: [1], dtype: 'int32', values: [0.5] }, /32-bit integers, got 0\.5 at index 0/],
      [{ shape: [1], dtype: 'float64', values: [1] }, /dtype 'float32' or 'int32', got "float64"/],
    ];
    for (const [json, message] of cases) {
      let caught: unknown;
      try {
        namedArrayFromJSON(json, 'A0', { component: 'Model.fromJSON', errorClass: ModelError });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ModelError);
      expect(isEmpiricalBregmanError(caught)).toBe(true);
      expect((caught as { code: string }).code).toBe('BAD_FORMAT');
      expect((caught as Error).message).toMatch(/^Model\.fromJSON: /);
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('names namedArrayFromJSON and throws the base class by default', () => {
    expect(() => namedArrayFromJSON(null, 'x')).toThrow(/^namedArrayFromJSON: expected 'x' as \{ shape/);
  });
});
