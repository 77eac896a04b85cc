import { describe, expect, it } from 'vitest';
import { EmpiricalBregmanError, describeValue, isEmpiricalBregmanError } from './errors';

class ExampleError extends EmpiricalBregmanError {}

describe('EmpiricalBregmanError', () => {
  it('prefixes the component, keeps the code and the subclass name', () => {
    const error = new ExampleError('Thing.method', 'INVALID_SHAPE', 'expected [n, 3], got [4, 2]');
    expect(error.message).toBe('Thing.method: expected [n, 3], got [4, 2]');
    expect(error.code).toBe('INVALID_SHAPE');
    expect(error.name).toBe('ExampleError');
    expect(isEmpiricalBregmanError(error)).toBe(true);
    expect(isEmpiricalBregmanError(new Error('x'))).toBe(false);
    expect(isEmpiricalBregmanError('x')).toBe(false);
  });

  it('describes values for messages', () => {
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue([1, 2])).toBe('an array of length 2');
    expect(describeValue(new Float32Array(3))).toBe('a Float32Array of length 3');
    expect(describeValue({ shape: [2, 5] })).toBe('a tensor of shape [2, 5]');
    expect(describeValue('abc')).toBe('"abc"');
  });
});
