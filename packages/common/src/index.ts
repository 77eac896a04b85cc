export { EmpiricalBregmanError, isEmpiricalBregmanError, describeValue } from './errors';
export type { ErrorCode } from './errors';
export { SeededRandom, isSeededRandom } from './seeded-random';
export type { SeededRandomState } from './seeded-random';
export type { NamedArray, NamedArrayDType } from './named-array';
export { namedArrayFromJSON, namedArrayToJSON } from './named-array-json';
export type { NamedArrayFromJSONOptions, NamedArrayJSON } from './named-array-json';
export { crc32 } from './crc32';
export { integerRangeProblem } from './integer-range-problem';
